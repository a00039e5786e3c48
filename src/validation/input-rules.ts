import { Finding } from './finding';
import { ManifestInput, objectRef } from './from-manifests';
import { describeRef } from './describe-ref';
import { RULES } from './rules';

// Rules about how an object is written rather than how it is wired: what the manifest reader saw
// in the text (duplicate keys), carried on each input, turned into findings by the engine.

const DUPLICATE_KEY = RULES.find(rule => rule.id === 'duplicate-key')!;

function listText(lines: number[]): string {
  return lines.length <= 2 ? lines.join(' and ') : `${lines.slice(0, -1).join(', ')} and ${lines[lines.length - 1]}`;
}

/**
 * The findings of the input rules over `inputs`.
 * @internal
 */
export function checkInputs(inputs: ManifestInput[], defaultNamespace: string): Finding[] {
  const findings: Finding[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i];
    if (input.duplicateKeys === undefined || input.duplicateKeys.length === 0) {
      continue;
    }
    const ref = objectRef(input, defaultNamespace);
    if (ref === undefined) {
      continue;
    }
    for (const { field, lines } of input.duplicateKeys) {
      // kubectl decodes YAML with sigs.k8s.io/yaml's Unmarshal (gopkg.in/yaml.v2, not strict) into a Go map: the last value wins
      const last = lines[lines.length - 1];
      findings.push({
        rule: DUPLICATE_KEY.id,
        severity: DUPLICATE_KEY.severity,
        message: `${describeRef(ref)} sets ${field} ${lines.length === 2 ? 'twice' : `${lines.length} times`}, on lines ${listText(lines)}; kubectl applies the value on line ${last} and silently drops the other${lines.length > 2 ? 's' : ''}`,
        recommendation: `Remove the duplicate ${field}, keeping the value you mean (today the one on line ${last} applies).`,
        resource: ref,
        field,
      });
    }
  }
  return findings;
}
