import { HeatFault } from '../errors.js';

/**
 * Template versions and the function set of each, as heat/engine/hot/template.py and
 * heat/engine/cfn/template.py define them (setup.cfg `heat.templates` names them). The
 * descriptions are the first line of each function class's docstring, which is what
 * `GET /template_versions/{v}/functions` shows.
 */

/** How a function behaves; several names share one behaviour across versions. */
export type FnKind =
  | 'get_param'
  | 'get_resource'
  | 'get_attr_select'
  | 'get_attr'
  | 'get_attr_all'
  | 'list_join'
  | 'list_join_multi'
  | 'str_replace'
  | 'str_replace_json'
  | 'str_replace_strict'
  | 'str_replace_vstrict'
  | 'get_file'
  | 'resource_facade'
  | 'removed'
  | 'repeat'
  | 'repeat_map'
  | 'repeat_nested'
  | 'digest'
  | 'str_split'
  | 'map_merge'
  | 'map_replace'
  | 'yaql'
  | 'if'
  | 'if_nullable'
  | 'equals'
  | 'not'
  | 'and'
  | 'or'
  | 'filter'
  | 'make_url'
  | 'list_concat'
  | 'list_concat_unique'
  | 'contains'
  | 'cfn_ref'
  | 'cfn_param_ref'
  | 'cfn_getatt'
  | 'cfn_select'
  | 'cfn_join'
  | 'cfn_split'
  | 'cfn_replace'
  | 'cfn_base64'
  | 'cfn_member_list_to_map'
  | 'cfn_resource_facade'
  | 'cfn_getazs'
  | 'cfn_find_in_map'
  | 'cfn_if'
  | 'cfn_equals'
  | 'cfn_not'
  | 'cfn_and'
  | 'cfn_or';

const DESCRIPTIONS: Record<FnKind, string> = {
  get_param: 'A function for resolving parameter references.',
  get_resource: 'A function for resolving resource references.',
  get_attr_select: 'A function for resolving resource attributes.',
  get_attr: 'A function for resolving resource attributes.',
  get_attr_all: 'A function for resolving resource attributes.',
  list_join: 'A function for joining strings.',
  list_join_multi: 'A function for joining one or more lists of strings.',
  str_replace: 'A function for performing string substitutions.',
  str_replace_json: 'A function for performing string substitutions.',
  str_replace_strict: 'A function for performing string substitutions.',
  str_replace_vstrict: 'A function for performing string substitutions.',
  get_file: 'A function for including a file inline.',
  resource_facade: 'A function for retrieving data in a parent provider template.',
  removed: 'This function existed in previous versions of HOT, but has been removed.',
  repeat: 'A function for iterating over a list of items.',
  repeat_map: 'A function for iterating over a list of items or a dict of keys.',
  repeat_nested: 'A function for iterating over a list of items or a dict of keys.',
  digest: 'A function for performing digest operations.',
  str_split: 'A function for splitting delimited strings into a list.',
  map_merge: 'A function for merging maps.',
  map_replace: 'A function for performing substitutions on maps.',
  yaql: 'A function for executing a yaql expression.',
  if: 'A function to return corresponding value based on condition evaluation.',
  if_nullable: 'A function to return corresponding value based on condition evaluation.',
  equals: 'A function for comparing whether two values are equal.',
  not: 'A function that acts as a NOT operator on a condition.',
  and: 'A function that acts as an AND operator on conditions.',
  or: 'A function that acts as an OR operator on conditions.',
  filter: 'A function for filtering out values from lists.',
  make_url: 'A function for performing substitutions on maps.',
  list_concat: 'A function for extending lists.',
  list_concat_unique: 'A function for extending lists with unique items.',
  contains: 'A function for checking whether specific value is in sequence.',
  cfn_ref: 'A function for resolving parameters or resource references.',
  cfn_param_ref: 'A function for resolving parameter references.',
  cfn_getatt: 'A function for resolving resource attributes.',
  cfn_select: 'A function for selecting an item from a list or map.',
  cfn_join: 'A function for joining strings.',
  cfn_split: 'A function for splitting strings.',
  cfn_replace: 'A function for performing string substitutions.',
  cfn_base64: 'A placeholder function for converting to base64.',
  cfn_member_list_to_map: 'A function to convert lists with enumerated keys and values to mapping.',
  cfn_resource_facade: 'A function for retrieving data in a parent provider template.',
  cfn_getazs: 'A function for retrieving the availability zones.',
  cfn_find_in_map: 'A function for resolving keys in the template mappings.',
  cfn_if: 'A function to return corresponding value based on condition evaluation.',
  cfn_equals: 'A function for comparing whether two values are equal.',
  cfn_not: 'A function that acts as a NOT operator on a condition.',
  cfn_and: 'A function that acts as an AND operator on conditions.',
  cfn_or: 'A function that acts as an OR operator on conditions.',
};

export function describeFunction(kind: FnKind): string {
  return DESCRIPTIONS[kind];
}

type Table = ReadonlyArray<readonly [string, FnKind]>;

const REMOVED_CFN: Table = [
  ['Fn::GetAZs', 'removed'],
  ['Fn::Join', 'removed'],
  ['Fn::Split', 'removed'],
  ['Fn::Replace', 'removed'],
  ['Fn::Base64', 'removed'],
  ['Fn::MemberListToMap', 'removed'],
  ['Fn::ResourceFacade', 'removed'],
  ['Ref', 'removed'],
];

const HOT_20130523: Table = [
  ['Fn::GetAZs', 'cfn_getazs'],
  ['get_param', 'get_param'],
  ['get_resource', 'get_resource'],
  ['Ref', 'cfn_ref'],
  ['get_attr', 'get_attr_select'],
  ['Fn::Select', 'cfn_select'],
  ['Fn::Join', 'cfn_join'],
  ['list_join', 'list_join'],
  ['Fn::Split', 'cfn_split'],
  ['str_replace', 'str_replace'],
  ['Fn::Replace', 'cfn_replace'],
  ['Fn::Base64', 'cfn_base64'],
  ['Fn::MemberListToMap', 'cfn_member_list_to_map'],
  ['resource_facade', 'resource_facade'],
  ['Fn::ResourceFacade', 'cfn_resource_facade'],
  ['get_file', 'get_file'],
];

const HOT_20141016: Table = [
  ['get_attr', 'get_attr'],
  ['get_file', 'get_file'],
  ['get_param', 'get_param'],
  ['get_resource', 'get_resource'],
  ['list_join', 'list_join'],
  ['resource_facade', 'resource_facade'],
  ['str_replace', 'str_replace'],
  ['Fn::Select', 'cfn_select'],
  ...REMOVED_CFN,
];

const HOT_20150430: Table = [
  ['get_attr', 'get_attr'],
  ['get_file', 'get_file'],
  ['get_param', 'get_param'],
  ['get_resource', 'get_resource'],
  ['list_join', 'list_join'],
  ['repeat', 'repeat'],
  ['resource_facade', 'resource_facade'],
  ['str_replace', 'str_replace'],
  ['Fn::Select', 'cfn_select'],
  ['digest', 'digest'],
  ...REMOVED_CFN,
];

/** 2015-10-15 onwards share this head; later versions append to it. */
function hotFrom20151015(extra: Table, opts: { repeat: FnKind; ifKind?: FnKind }): Table {
  const head: Array<readonly [string, FnKind]> = [
    ['get_attr', 'get_attr_all'],
    ['get_file', 'get_file'],
    ['get_param', 'get_param'],
    ['get_resource', 'get_resource'],
    ['list_join', 'list_join_multi'],
    ['repeat', opts.repeat],
    ['resource_facade', 'resource_facade'],
    ['str_replace', 'str_replace_json'],
    ['digest', 'digest'],
    ['str_split', 'str_split'],
  ];
  return [...head, ...extra, ['Fn::Select', 'removed'], ...REMOVED_CFN];
}

const HOT_20151015 = hotFrom20151015([], { repeat: 'repeat' });
const HOT_20160408 = hotFrom20151015([['map_merge', 'map_merge']], { repeat: 'repeat' });
const NEWTON_EXTRA: Table = [
  ['map_merge', 'map_merge'],
  ['yaql', 'yaql'],
  ['map_replace', 'map_replace'],
  ['if', 'if'],
];
const HOT_20161014 = hotFrom20151015(NEWTON_EXTRA, { repeat: 'repeat_map' });
const OCATA_EXTRA: Table = [
  ...NEWTON_EXTRA,
  ['filter', 'filter'],
  ['str_replace_strict', 'str_replace_strict'],
];
const HOT_20170224 = hotFrom20151015(OCATA_EXTRA, { repeat: 'repeat_map' });
const PIKE_EXTRA: Table = [
  ...OCATA_EXTRA,
  ['make_url', 'make_url'],
  ['list_concat', 'list_concat'],
  ['str_replace_vstrict', 'str_replace_vstrict'],
  ['list_concat_unique', 'list_concat_unique'],
  ['contains', 'contains'],
];
const HOT_20170901 = hotFrom20151015(PIKE_EXTRA, { repeat: 'repeat_nested' });
const HOT_20210416 = hotFrom20151015(
  PIKE_EXTRA.map(([n, k]) => [n, n === 'if' ? 'if_nullable' : k] as const),
  { repeat: 'repeat_nested' },
);

const COND_20161014: Table = [
  ['get_param', 'get_param'],
  ['equals', 'equals'],
  ['not', 'not'],
  ['and', 'and'],
  ['or', 'or'],
];
const COND_20170901: Table = [...COND_20161014, ['yaql', 'yaql'], ['contains', 'contains']];

const CFN_BASE: Table = [
  ['Fn::FindInMap', 'cfn_find_in_map'],
  ['Fn::GetAZs', 'cfn_getazs'],
  ['Ref', 'cfn_ref'],
  ['Fn::GetAtt', 'cfn_getatt'],
  ['Fn::Select', 'cfn_select'],
  ['Fn::Join', 'cfn_join'],
  ['Fn::Split', 'cfn_split'],
  ['Fn::Replace', 'cfn_replace'],
  ['Fn::Base64', 'cfn_base64'],
  ['Fn::MemberListToMap', 'cfn_member_list_to_map'],
  ['Fn::ResourceFacade', 'cfn_resource_facade'],
];
const CFN_AWS: Table = [...CFN_BASE, ['Fn::If', 'cfn_if']];
const COND_CFN: Table = [
  ['Fn::Equals', 'cfn_equals'],
  ['Ref', 'cfn_param_ref'],
  ['Fn::FindInMap', 'cfn_find_in_map'],
  ['Fn::Not', 'cfn_not'],
  ['Fn::And', 'cfn_and'],
  ['Fn::Or', 'cfn_or'],
];

export interface VersionInfo {
  key: 'heat_template_version' | 'AWSTemplateFormatVersion' | 'HeatTemplateFormatVersion';
  /** The official (dated) value. */
  value: string;
  type: 'hot' | 'cfn';
  aliases: string[];
  functions: ReadonlyMap<string, FnKind>;
  /** Functions allowed in `conditions`, or null when the version has no conditions. */
  conditionFunctions: ReadonlyMap<string, FnKind> | null;
  /** The parameter schema flavour: modulo from 2017-02-24, tags from 2018-03-02. */
  paramSchema: 'cfn' | 'hot' | 'hot20170224' | 'hot20180302';
}

function v(
  key: VersionInfo['key'],
  value: string,
  aliases: string[],
  fns: Table,
  cond: Table | null,
  paramSchema: VersionInfo['paramSchema'],
): VersionInfo {
  const type = key === 'heat_template_version' ? 'hot' : 'cfn';
  return {
    key,
    value,
    type,
    aliases,
    functions: new Map(fns),
    conditionFunctions: cond ? new Map(cond) : null,
    paramSchema,
  };
}

const H = 'heat_template_version';
export const VERSIONS: readonly VersionInfo[] = [
  v('AWSTemplateFormatVersion', '2010-09-09', [], CFN_AWS, COND_CFN, 'cfn'),
  v('HeatTemplateFormatVersion', '2012-12-12', [], CFN_BASE, null, 'cfn'),
  v(H, '2013-05-23', [], HOT_20130523, null, 'hot'),
  v(H, '2014-10-16', [], HOT_20141016, null, 'hot'),
  v(H, '2015-04-30', [], HOT_20150430, null, 'hot'),
  v(H, '2015-10-15', [], HOT_20151015, null, 'hot'),
  v(H, '2016-04-08', [], HOT_20160408, null, 'hot'),
  v(H, '2016-10-14', ['newton'], HOT_20161014, COND_20161014, 'hot'),
  v(H, '2017-02-24', ['ocata'], HOT_20170224, COND_20161014, 'hot20170224'),
  v(H, '2017-09-01', ['pike'], HOT_20170901, COND_20170901, 'hot20170224'),
  v(H, '2018-03-02', ['queens'], HOT_20170901, COND_20170901, 'hot20180302'),
  v(H, '2018-08-31', ['rocky'], HOT_20170901, COND_20170901, 'hot20180302'),
  v(H, '2021-04-16', ['wallaby'], HOT_20210416, COND_20170901, 'hot20180302'),
];

/** `GET /template_versions`: every dated version with its release-name aliases. */
export function templateVersions(): Array<{
  version: string;
  type: 'hot' | 'cfn';
  aliases: string[];
}> {
  return VERSIONS.map((x) => ({
    version: `${x.key}.${x.value}`,
    type: x.type,
    aliases: x.aliases.map((a) => `${x.key}.${a}`),
  }));
}

/**
 * `GET /template_versions/{version}/functions`: the version's functions (and, when asked, its
 * condition functions), without the removed ones, as Heat's service lists them.
 */
export function templateFunctions(
  name: string,
  withConditions: boolean,
): Array<{ functions: string; description: string }> {
  const info = versionByName(name);
  if (!info) throw new HeatFault('NotFound', `Template with version ${name} not found`);
  return functionList(info, withConditions);
}

export function functionList(
  info: VersionInfo,
  withConditions: boolean,
): Array<{ functions: string; description: string }> {
  const all = new Map(info.functions);
  if (withConditions && info.conditionFunctions) {
    for (const [n, k] of info.conditionFunctions) all.set(n, k);
  }
  return [...all]
    .filter(([, k]) => k !== 'removed')
    .map(([n, k]) => ({ functions: n, description: describeFunction(k) }));
}

/** Find a version by its `key.value` name (dated or alias), as the functions route takes it. */
export function versionByName(name: string): VersionInfo | undefined {
  return VERSIONS.find(
    (x) => `${x.key}.${x.value}` === name || x.aliases.some((a) => `${x.key}.${a}` === name),
  );
}
