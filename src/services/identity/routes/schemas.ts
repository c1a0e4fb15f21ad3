import { Type, type TSchema } from '../../../http/schema.js';

/**
 * Keystone's request schemas (keystone/{identity,resource,assignment,auth}/schema.py and
 * keystone/common/validation/parameter_types.py, as of Zed): what each field must be, in the
 * same order, so the first violation is the one Keystone names. Bodies keep Keystone's
 * `additionalProperties: True`: unknown attributes are accepted (and not stored, see README).
 */

const nullable = <S extends TSchema>(s: S) => Type.Union([s, Type.Null()]);

const boolean = Type.Boolean();
const description = Type.String();
const idString = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9-]+$' });
/** parameter_types.name and identity's _identity_name. */
const name255 = Type.String({ minLength: 1, maxLength: 255, pattern: '[\\S]+' });
/** resource's _name_properties: projects and domains. */
const name64 = Type.String({ minLength: 1, maxLength: 64, pattern: '[\\S]+' });
const tags = Type.Array(Type.String({ minLength: 1, maxLength: 255, pattern: '^[^,/]*$' }), {
  maxItems: 80,
  uniqueItems: true,
});

/** A resource option registry's schema: known options only, each nullable (null resets it). */
function options(names: string[]) {
  return Type.Object(Object.fromEntries(names.map((n) => [n, Type.Optional(nullable(boolean))])), {
    additionalProperties: false,
  });
}
const immutableOption = options(['immutable']);
const userOptions = Type.Object(
  {
    ignore_change_password_upon_first_use: Type.Optional(nullable(boolean)),
    ignore_password_expiry: Type.Optional(nullable(boolean)),
    ignore_lockout_failure_attempts: Type.Optional(nullable(boolean)),
    lock_password: Type.Optional(nullable(boolean)),
    ignore_user_inactivity: Type.Optional(nullable(boolean)),
    multi_factor_auth_rules: Type.Optional(
      nullable(Type.Array(Type.Array(Type.String(), { minItems: 1 }), { uniqueItems: true })),
    ),
    multi_factor_auth_enabled: Type.Optional(nullable(boolean)),
  },
  { additionalProperties: false },
);

const domainProps = {
  description: Type.Optional(nullable(description)),
  enabled: Type.Optional(boolean),
  name: Type.Optional(name64),
  tags: Type.Optional(tags),
};
export const DomainCreate = Type.Object({ ...domainProps, name: name64 });
export const DomainUpdate = Type.Object(domainProps, { minProperties: 1 });

const projectProps = {
  description: Type.Optional(nullable(description)),
  domain_id: Type.Optional(nullable(idString)),
  enabled: Type.Optional(boolean),
  is_domain: Type.Optional(boolean),
  parent_id: Type.Optional(nullable(idString)),
  name: Type.Optional(name64),
  tags: Type.Optional(tags),
  options: Type.Optional(immutableOption),
};
export const ProjectCreate = Type.Object({ ...projectProps, name: name64 });
export const ProjectUpdate = Type.Object(projectProps, { minProperties: 1 });

const userProps = {
  default_project_id: Type.Optional(nullable(idString)),
  description: Type.Optional(nullable(description)),
  domain_id: Type.Optional(idString),
  enabled: Type.Optional(boolean),
  name: Type.Optional(name255),
  password: Type.Optional(nullable(Type.String())),
  options: Type.Optional(userOptions),
  // Not in Keystone's schema (an extra attribute there), but stored and shown here.
  email: Type.Optional(nullable(Type.String())),
};
export const UserCreate = Type.Object({ ...userProps, name: name255 });
export const UserUpdate = Type.Object(userProps, { minProperties: 1 });

const roleProps = {
  name: Type.Optional(name255),
  // Keystone's schema says string; null is accepted here as before (it clears it).
  description: Type.Optional(nullable(description)),
  options: Type.Optional(immutableOption),
  // An extra attribute in Keystone's schema; a domain-specific role's domain here.
  domain_id: Type.Optional(nullable(Type.String({ maxLength: 64 }))),
};
export const RoleCreate = Type.Object({ ...roleProps, name: name255 });
export const RoleUpdate = Type.Object(roleProps, { minProperties: 1 });

const nameOrId = Type.Object({
  id: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
});

/** keystone/auth/schema.py token_issue: the `auth` object of POST /v3/auth/tokens. */
export const TokenIssue = Type.Object(
  {
    identity: Type.Object({
      methods: Type.Array(Type.String()),
      password: Type.Optional(
        Type.Object({
          user: Type.Optional(
            Type.Object({
              id: Type.Optional(Type.String()),
              name: Type.Optional(Type.String()),
              password: Type.Optional(Type.String()),
              domain: Type.Optional(nameOrId),
            }),
          ),
        }),
      ),
      token: Type.Optional(Type.Object({ id: Type.String() })),
    }),
    scope: Type.Optional(
      Type.Union([
        Type.Object({
          project: Type.Optional(
            Type.Object({
              name: Type.Optional(Type.String()),
              id: Type.Optional(Type.String()),
              domain: Type.Optional(nameOrId),
            }),
          ),
          domain: Type.Optional(nameOrId),
          'OS-TRUST:trust': Type.Optional(Type.Object({ id: Type.Optional(Type.String()) })),
          system: Type.Optional(Type.Object({ all: Type.Optional(boolean) })),
        }),
        Type.String(),
      ]),
    ),
  },
  { additionalProperties: true },
);

/**
 * A query string as Fastify hands it over: each value a string, or an array when the key is
 * repeated. Keystone ignores filters it does not know, so any other key passes.
 */
const queryValue = Type.Union([Type.String(), Type.Array(Type.String())]);
export function querySchema(keys: string[]) {
  return Type.Object(Object.fromEntries(keys.map((k) => [k, Type.Optional(queryValue)])));
}
