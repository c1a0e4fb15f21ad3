import type { SoftwareConfigs } from '../../software-configs.js';
import type { ResourceData, ResourceType } from '../types.js';
import { multipartMime } from './multipart.js';
import { noneResource } from './none.js';
import { randomStringResource } from './random-string.js';
import { remoteStack } from './remote-stack.js';
import { resourceChain } from './resource-chain.js';
import { resourceGroup } from './resource-group.js';
import { cloudConfig, softwareConfig, structuredConfig } from './software-config.js';
import { testResource } from './test-resource.js';
import { valueResource } from './value.js';
import { waitCondition, type WaitConditionHooks } from './wait-condition.js';
import { waitConditionHandle } from './wait-condition-handle.js';

export { signalHandle } from './wait-signals.js';
export { templateResource } from './template-resource.js';
export { TypeResolver } from './type-lookup.js';
export { UpdateReplace } from './support.js';
export type { WaitConditionHooks } from './wait-condition.js';

/**
 * Heat's own resource types. The config types store their configs through `configs` (the
 * engine's ResourceContext has no orchestration member); the wait condition finds its handle
 * in the stack and the handle its signal token through `hooks`, which the engine provides.
 */
export function heatTypes(configs: SoftwareConfigs, hooks: WaitConditionHooks): ResourceType[] {
  return [
    noneResource,
    valueResource,
    randomStringResource,
    testResource,
    softwareConfig(configs),
    structuredConfig(configs),
    cloudConfig(configs),
    multipartMime(configs),
    waitConditionHandle(hooks),
    waitCondition(hooks),
    resourceGroup,
    remoteStack,
    resourceChain,
  ];
}

/**
 * What get_resource/Ref of a resource of these types answers when it is not the physical id
 * (Heat's get_reference_id): a RandomString's string. Undefined for every other type.
 */
export function referenceId(
  type: string,
  physicalId: string | null,
  data: ResourceData,
): string | undefined {
  if (type === 'OS::Heat::RandomString' && physicalId !== null) return data.get('value');
  return undefined;
}
