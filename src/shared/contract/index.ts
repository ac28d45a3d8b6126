import type { z } from 'zod';
import { appMethods } from './app-methods';
import { worklistMethods } from './worklist-methods';
import { lockMethods } from './lock-methods';
import { imageMethods } from './image-methods';
import { syncMethods } from './sync-methods';
import { caseMethods } from './case-methods';
import { decisionMethods } from './decision-methods';
import { exportMethods } from './export-methods';
import { events } from './events';

/**
 * The whole contract between renderer and core: every method named once. Each feature keeps
 * its own *-methods.ts; this file only merges them so both transports see one map.
 */
export const methods = {
  ...appMethods,
  ...worklistMethods,
  ...lockMethods,
  ...imageMethods,
  ...syncMethods,
  ...caseMethods,
  ...decisionMethods,
  ...exportMethods,
};

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;

export type Handlers = {
  [M in MethodName]: (input: MethodParsedInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M>;
};

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

export { events };
export type { EventName, EventPayload } from './events';
