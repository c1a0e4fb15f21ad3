import type { VolumeTypeRow } from '../../../store/schema.js';

export function typeView(t: VolumeTypeRow): Record<string, unknown> {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    is_public: t.is_public === 1,
    extra_specs: JSON.parse(t.extra_specs) as Record<string, string>,
    qos_specs_id: null,
    'os-volume-type-access:is_public': t.is_public === 1,
  };
}
