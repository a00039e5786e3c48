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
