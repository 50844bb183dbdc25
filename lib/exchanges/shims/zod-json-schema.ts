/**
 * Stand-in for zod's JSON-schema generation in the extension bundles: classic zod's schemas import it for
 * toJSONSchema() and the Standard Schema jsonSchema getter, which nothing in Ringfence calls at run time (the settings
 * documentation is generated in Node, where this alias does not apply). It keeps about 5 KB gzip out of the service
 * worker, which has a size budget. Anything that does reach here says so.
 */
const unbundled = (name: string) => (): never => {
  throw new Error(`zod JSON schema (${name}) is not bundled in the extension`);
};
export const aggregateChecks = unbundled('aggregateChecks');
export const stringProcessor = unbundled('stringProcessor');
export const numberProcessor = unbundled('numberProcessor');
export const booleanProcessor = unbundled('booleanProcessor');
export const bigintProcessor = unbundled('bigintProcessor');
export const symbolProcessor = unbundled('symbolProcessor');
export const nullProcessor = unbundled('nullProcessor');
export const undefinedProcessor = unbundled('undefinedProcessor');
export const voidProcessor = unbundled('voidProcessor');
export const neverProcessor = unbundled('neverProcessor');
export const anyProcessor = unbundled('anyProcessor');
export const unknownProcessor = unbundled('unknownProcessor');
export const dateProcessor = unbundled('dateProcessor');
export const enumProcessor = unbundled('enumProcessor');
export const literalProcessor = unbundled('literalProcessor');
export const nanProcessor = unbundled('nanProcessor');
export const templateLiteralProcessor = unbundled('templateLiteralProcessor');
export const fileProcessor = unbundled('fileProcessor');
export const successProcessor = unbundled('successProcessor');
export const customProcessor = unbundled('customProcessor');
export const functionProcessor = unbundled('functionProcessor');
export const transformProcessor = unbundled('transformProcessor');
export const mapProcessor = unbundled('mapProcessor');
export const setProcessor = unbundled('setProcessor');
export const arrayProcessor = unbundled('arrayProcessor');
export const objectProcessor = unbundled('objectProcessor');
export const unionProcessor = unbundled('unionProcessor');
export const intersectionProcessor = unbundled('intersectionProcessor');
export const tupleProcessor = unbundled('tupleProcessor');
export const recordProcessor = unbundled('recordProcessor');
export const nullableProcessor = unbundled('nullableProcessor');
export const nonoptionalProcessor = unbundled('nonoptionalProcessor');
export const defaultProcessor = unbundled('defaultProcessor');
export const prefaultProcessor = unbundled('prefaultProcessor');
export const catchProcessor = unbundled('catchProcessor');
export const pipeProcessor = unbundled('pipeProcessor');
export const readonlyProcessor = unbundled('readonlyProcessor');
export const promiseProcessor = unbundled('promiseProcessor');
export const optionalProcessor = unbundled('optionalProcessor');
export const lazyProcessor = unbundled('lazyProcessor');
export const allProcessors = unbundled('allProcessors');
export const toJSONSchema = unbundled('toJSONSchema');
export const createToJSONSchemaMethod = (): (() => never) => unbundled('createToJSONSchemaMethod');
export const createStandardJSONSchemaMethod = (): (() => never) => unbundled('createStandardJSONSchemaMethod');
