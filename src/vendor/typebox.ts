/**
 * The parts of TypeBox pocketstack uses, in one module. The build (scripts/setup.sh) replaces
 * its compiled output with an esbuild bundle of the same exports: TypeBox ships several hundred
 * small ES modules, and loading them one by one added about 60 ms to every start. Without the
 * bundle step this file still works, only slower to load.
 */
export { Kind, Type } from '@sinclair/typebox';
export type { Static, TObject, TSchema, TString } from '@sinclair/typebox';
export { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
export { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
