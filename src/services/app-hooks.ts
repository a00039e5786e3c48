import { IConstruct } from 'constructs';

// How a typed Service tells its app that it exists, without the services layer knowing who
// listens: the synth-time wiring check (validation layer) subscribes when the package loads and
// attaches itself to the app, where the whole app is known.

type TypedServiceListener = (service: IConstruct) => void;

const listeners: TypedServiceListener[] = [];

/**
 * Call `listener` with every typed Service created from now on.
 * @internal
 */
export function onTypedServiceCreated(listener: TypedServiceListener): void {
  listeners.push(listener);
}

/**
 * Tell the listeners that `service` was created.
 * @internal
 */
export function typedServiceCreated(service: IConstruct): void {
  for (const listener of listeners) {
    listener(service);
  }
}

// What is computed once per synth: while an app synthesizes (App.synth(), App.synthYaml()), its
// tree does not change, so a typed Service may share a walk of the app with the others. The
// wiring check marks the synth; outside one, every call computes afresh.

const synthMemos = new WeakMap<IConstruct, Map<string, unknown>>();

/**
 * Mark the start (`true`) or the end (`false`) of a synth of the app `root`.
 * @internal
 */
export function markSynth(root: IConstruct, running: boolean): void {
  if (running) {
    synthMemos.set(root, new Map());
  } else {
    synthMemos.delete(root);
  }
}

/**
 * `compute()`, computed once per synth of the app `root` under `key` (every call computes it
 * outside a synth).
 * @internal
 */
export function memoInSynth<T>(root: IConstruct, key: string, compute: () => T): T {
  const memo = synthMemos.get(root);
  if (memo === undefined) {
    return compute();
  }
  if (!memo.has(key)) {
    memo.set(key, compute());
  }
  return memo.get(key) as T;
}
