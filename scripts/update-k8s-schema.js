#!/usr/bin/env node
// Copies the Kubernetes 1.27 OpenAPI definitions from ../shared/kubernetes/openapi-v2-1.27.json
// into test/k8s-schema/, without descriptions and paths, so the schema check works on any clone.
const fs = require('fs');
const path = require('path');

const source = process.argv[2] ?? path.join(__dirname, '..', '..', 'shared', 'kubernetes', 'openapi-v2-1.27.json');
const target = path.join(__dirname, '..', 'test', 'k8s-schema', 'definitions-1.27.json');

function strip(value) {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    const out = {};
    for (const key of Object.keys(value).sort()) {
      if (key === 'description') continue;
      out[key] = strip(value[key]);
    }
    return out;
  }
  return value;
}

const doc = JSON.parse(fs.readFileSync(source, 'utf8'));
fs.writeFileSync(target, JSON.stringify({ info: doc.info, definitions: strip(doc.definitions) }) + '\n');
console.log(`wrote ${path.relative(process.cwd(), target)}`);
