/**
 * The Python exception a Heat function raises, kept apart from its text because Heat prints
 * them differently: `str(KeyError(msg))` is the repr of the message, the others are the message.
 */
import { pyRepr } from '../../../http/pyrepr.js';
import { HeatFault, validationFailed } from '../errors.js';

export class FnError extends Error {
  constructor(
    readonly pyType: 'TypeError' | 'ValueError' | 'KeyError',
    message: string,
  ) {
    super(message);
  }
  /** str(exc) as Heat puts it into StackValidationFailed. */
  text(): string {
    return this.pyType === 'KeyError' ? pyRepr(this.message, 100000) : this.message;
  }
}

export const typeError = (m: string): FnError => new FnError('TypeError', m);
export const valueError = (m: string): FnError => new FnError('ValueError', m);
export const keyError = (m: string): FnError => new FnError('KeyError', m);

/** Heat's path text: "a.b[0].c" from its parts; an empty path prints nothing. */
export function withPath(path: string, message: string): HeatFault {
  return validationFailed(path ? `${path}: ${message}` : message);
}

/** Run `f`, turning an FnError into StackValidationFailed at `path` (parse-time errors). */
export function atPath<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof FnError) throw withPath(path, e.text());
    throw e;
  }
}

export function invalidVersion(explanation: string): HeatFault {
  return new HeatFault('InvalidTemplateVersion', `The template version is invalid: ${explanation}`);
}

export function invalidReference(resource: string, key: string): HeatFault {
  return new HeatFault(
    'InvalidTemplateReference',
    `The specified reference "${resource}" (in ${key}) is incorrect.`,
  );
}
