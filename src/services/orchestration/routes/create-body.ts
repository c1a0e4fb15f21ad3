/**
 * The create (and validate) body read as heat/api/openstack/v1/stacks.py InstantiationData and
 * heat/engine/api.py extract_args read it, with their texts.
 */
import { parse } from 'yaml';
import { isJsonObject, type JsonObject } from '../../../http/input.js';
import { pyStr } from '../../../http/pyrepr.js';
import { HeatFault } from '../errors.js';
import type { StackCreateInput } from '../service.js';
import type { AbandonedResource } from '../engine/adopt.js';
import {
  mergeEnvironments,
  parseEnvironment,
  parseTemplateText,
  type Environment,
} from '../template/index.js';
import { badRequest, intParam } from './params.js';

const NAME_RE = /^[a-zA-Z][a-zA-Z0-9_.-]{0,254}$/;

export function bodyObject(body: unknown): JsonObject {
  if (!isJsonObject(body)) throw badRequest('The request body must be a JSON object.');
  return body;
}

/** The template: a map as it is, text parsed as JSON or YAML. */
export function templateOf(body: JsonObject): Record<string, unknown> {
  const t = body.template;
  if (t === undefined || t === null) {
    if (body.template_url !== undefined && body.template_url !== null) {
      throw badRequest(
        `Could not retrieve template: Failed to retrieve template: ${pyStr(body.template_url)}`,
      );
    }
    throw badRequest('No template specified');
  }
  if (isJsonObject(t)) return t;
  if (typeof t !== 'string') {
    throw badRequest(
      'Template not in valid format: The template is not a JSON object or YAML mapping.',
    );
  }
  return parseTemplateText(t) as Record<string, unknown>;
}

export function filesOf(body: JsonObject): Record<string, string> {
  const files = body.files ?? {};
  if (!isJsonObject(files)) throw badRequest('The files must be a map of names to contents.');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(files)) {
    if (typeof v !== 'string') throw badRequest('The files must be a map of names to contents.');
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true });
  }
  return out;
}

function parseEnvText(text: unknown): Environment {
  if (isJsonObject(text)) return parseEnvironment(text);
  if (typeof text !== 'string') {
    throw badRequest(
      'Environment not in valid format: The environment is not a valid YAML mapping data type.',
    );
  }
  let parsed: unknown;
  try {
    parsed = parseTemplateTextLoose(text);
  } catch (e) {
    throw badRequest(`Environment not in valid format: ${(e as Error).message}`);
  }
  return parseEnvironment(parsed ?? {});
}

/** YAML (or JSON) text of an environment, read as environment_format.parse reads it. */
function parseTemplateTextLoose(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    try {
      return parse(text, { version: '1.1', maxAliasCount: 100, uniqueKeys: false });
    } catch (e) {
      throw new Error((e as Error).message, { cause: e });
    }
  }
}

/**
 * The environment: `environment` (ignored when `environment_files` is given), then each of
 * `environment_files` merged from `files` in order, then `parameters` on top.
 */
export function environmentOf(body: JsonObject, files: Record<string, string>): Environment {
  const envFiles = body.environment_files;
  let env: Environment;
  if (Array.isArray(envFiles) && envFiles.length > 0) {
    env = parseEnvironment({});
    for (const name of envFiles) {
      if (typeof name !== 'string' || !Object.hasOwn(files, name)) {
        throw badRequest(`Environment file ${pyStr(name)} not found in files.`);
      }
      env = mergeEnvironments(env, parseEnvText(files[name]));
    }
  } else if (body.environment !== undefined && body.environment !== null) {
    env = parseEnvText(body.environment);
  } else {
    env = parseEnvironment({});
  }
  const params = body.parameters ?? {};
  if (!isJsonObject(params)) throw badRequest('The parameters must be a map.');
  for (const [k, v] of Object.entries(params)) {
    Object.defineProperty(env.parameters, k, { value: v, enumerable: true, writable: true });
  }
  return env;
}

function tagsOf(v: unknown): string[] | null {
  if (v === undefined || v === null) return null;
  const tags = typeof v === 'string' ? v.split(',') : Array.isArray(v) ? v : null;
  if (tags === null) throw new HeatFault('ValueError', `Invalid tags, not a list: ${pyStr(v)}`);
  for (const tag of tags) {
    if (typeof tag !== 'string')
      throw new HeatFault('ValueError', `Invalid tag, "${pyStr(tag)}" is not a string`);
    if (tag.length > 80) throw badRequest(`Invalid tag, "${tag}" is longer than 80 characters`);
    if (tag.includes(','))
      throw new HeatFault('ValueError', `Invalid tag, "${tag}" contains a comma`);
  }
  return tags as string[];
}

function boolArg(name: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  const word = typeof v === 'boolean' ? String(v) : typeof v === 'string' ? v.toLowerCase() : '';
  if (word === 'true') return true;
  if (word === 'false') return false;
  throw new HeatFault(
    'ValueError',
    `Unrecognized value "${pyStr(v)}" for "${name}", acceptable values are: true, false.`,
  );
}

function timeoutOf(v: unknown): number | null {
  if (v === undefined || v === null) return null;
  const text =
    typeof v === 'number' && Number.isInteger(v) ? String(v) : typeof v === 'string' ? v : pyStr(v);
  const n = intParam('timeout_mins', text);
  return n === 0 ? null : n;
}

/** POST /stacks: the whole create body. */
export function createInput(raw: unknown): StackCreateInput {
  const body = bodyObject(raw);
  if (!Object.hasOwn(body, 'stack_name')) throw badRequest('No stack name specified');
  const name = body.stack_name;
  if (typeof name !== 'string') {
    throw new HeatFault(
      'StackValidationFailed',
      `Invalid stack name ${pyStr(name)}, must be a string`,
    );
  }
  if (!NAME_RE.test(name)) {
    throw new HeatFault(
      'StackValidationFailed',
      `Invalid stack name ${name} must contain only alphanumeric or "_-." characters, must start with alpha and must be 255 characters or less.`,
    );
  }
  if (Object.hasOwn(body, 'converge')) {
    throw badRequest('converge flag only supported in stack update (or update preview) request.');
  }
  const adopt = adoptDataOf(body);
  const template = adopt ? adopt.template : templateOf(body);
  const files = filesOf(body);
  const env = environmentOf(body, files);
  const given = body.parameters;
  return {
    ...(adopt ? { adopt: adopt.resources } : {}),
    name,
    template,
    environment: env as unknown as Record<string, unknown>,
    files,
    parameters: isJsonObject(given) ? given : {},
    disableRollback: boolArg('disable_rollback', body.disable_rollback, true),
    // `stack adopt` sends `timeout`, not `timeout_mins`.
    timeoutMins: timeoutOf(body.timeout_mins ?? body.timeout),
    tags: tagsOf(body.tags),
  };
}

/**
 * `adopt_stack_data` (text of `stack abandon`'s answer, as heatclient sends it): the template
 * to create from and the resources to take over (InstantiationData.template).
 */
function adoptDataOf(
  body: JsonObject,
): { template: Record<string, unknown>; resources: Record<string, AbandonedResource> } | null {
  const raw = body.adopt_stack_data;
  if (raw === undefined || raw === null) return null;
  let data: unknown = raw;
  if (typeof raw === 'string') {
    try {
      data = JSON.parse(raw);
    } catch (e) {
      throw badRequest(`Invalid adopt data: ${(e as Error).message}`);
    }
  }
  if (!isJsonObject(data) || !isJsonObject(data.template)) {
    throw badRequest('Invalid adopt data: it has no template.');
  }
  const resources = isJsonObject(data.resources) ? data.resources : {};
  return {
    template: data.template,
    resources: resources as unknown as Record<string, AbandonedResource>,
  };
}
