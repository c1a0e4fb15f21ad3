import { pyRepr } from '../../../http/pyrepr.js';
import type { TString } from '../../../vendor/typebox.js';
import { Type, type TSchema } from '../../../http/schema.js';
import type { Microversion } from '../../../http/microversion.js';
import { NonNegativeIntParam, StringParam } from './parse.js';

// nova/api/openstack/compute/schemas/keypairs.py (Zed), one schema per microversion range.

/**
 * A key pair name: Nova's `name` format (no leading or trailing space) and its safe
 * characters; 2.92 adds '@' and '.'. The text names the characters, as pocketstack always has.
 */
function keypairName(chars: string): TString {
  const shown = `^[${chars}]+$`;
  return Type.String({
    pattern: `^(?! )[${chars}]{1,255}(?<! )$`,
    novaMessage: (v: unknown) => `${pyRepr(v)} does not match '${shown}'`,
  });
}
const NAME = keypairName('a-zA-Z0-9 _-');
const NAME_292 = keypairName('a-zA-Z0-9 @._-');
const TYPE = Type.Union([Type.Literal('ssh'), Type.Literal('x509')]);

const envelope = <P extends Parameters<typeof Type.Object>[0]>(keypair: P) =>
  Type.Object(
    { keypair: Type.Object(keypair, { additionalProperties: false }) },
    { additionalProperties: false },
  );

export const CreateV21 = envelope({ name: NAME, public_key: Type.Optional(Type.String()) });
export const CreateV22 = envelope({
  name: NAME,
  type: Type.Optional(TYPE),
  public_key: Type.Optional(Type.String()),
});
export const CreateV210 = envelope({
  name: NAME,
  type: Type.Optional(TYPE),
  public_key: Type.Optional(Type.String()),
  user_id: Type.Optional(Type.String()),
});
/** 2.92: a public key is required (Nova no longer generates keys) and names take '@' and '.'. */
export const CreateV292 = envelope({
  name: NAME_292,
  type: Type.Optional(TYPE),
  public_key: Type.String(),
  user_id: Type.Optional(Type.String()),
});

export const CREATE: ReadonlyArray<readonly [Microversion, TSchema]> = [
  [[2, 1], CreateV21],
  [[2, 2], CreateV22],
  [[2, 10], CreateV210],
  [[2, 92], CreateV292],
];

const AnyQuery = Type.Object({}, { additionalProperties: true });
const QueryV210 = Type.Object({ user_id: StringParam }, { additionalProperties: true });
const IndexQueryV235 = Type.Object(
  { user_id: StringParam, limit: NonNegativeIntParam, marker: StringParam },
  { additionalProperties: true },
);
const IndexQueryV275 = Type.Object(
  { user_id: StringParam, limit: NonNegativeIntParam, marker: StringParam },
  { additionalProperties: false },
);
const QueryV275 = Type.Object({ user_id: StringParam }, { additionalProperties: false });

export interface KeypairQuery {
  user_id?: string[];
  limit?: string[];
  marker?: string[];
}

export const INDEX_QUERY: ReadonlyArray<readonly [Microversion, TSchema]> = [
  [[2, 1], AnyQuery],
  [[2, 10], QueryV210],
  [[2, 35], IndexQueryV235],
  [[2, 75], IndexQueryV275],
];
/** Show and delete take user_id from 2.10, nothing else from 2.75. */
export const ONE_QUERY: ReadonlyArray<readonly [Microversion, TSchema]> = [
  [[2, 1], AnyQuery],
  [[2, 10], QueryV210],
  [[2, 75], QueryV275],
];
