import { versionBelow, type Microversion } from '../../../http/microversion.js';
import type { Flavor } from '../flavors.js';

function links(base: string, id: string) {
  return [
    { rel: 'self', href: `${base}/compute/v2.1/flavors/${id}` },
    { rel: 'bookmark', href: `${base}/compute/flavors/${id}` },
  ];
}

/** A flavor in a plain list: id, name and links (and description from 2.55). */
export function flavorSummaryView(
  f: Flavor,
  mv: Microversion,
  base: string,
): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: f.row.id,
    name: f.row.name,
    links: links(base, f.row.id),
  };
  if (!versionBelow(mv, [2, 55])) view.description = f.row.description;
  return view;
}

/** A flavor in full: swap is "" for none before 2.75, description from 2.55, extra_specs from 2.61. */
export function flavorView(f: Flavor, mv: Microversion, base: string): Record<string, unknown> {
  const r = f.row;
  const view: Record<string, unknown> = {
    id: r.id,
    name: r.name,
    ram: r.memory_mb,
    disk: r.root_gb,
    vcpus: r.vcpus,
    swap: r.swap === 0 && versionBelow(mv, [2, 75]) ? '' : r.swap,
    'OS-FLV-EXT-DATA:ephemeral': r.ephemeral_gb,
    'OS-FLV-DISABLED:disabled': r.disabled === 1,
    rxtx_factor: r.rxtx_factor,
    'os-flavor-access:is_public': r.is_public === 1,
    links: links(base, r.id),
  };
  if (!versionBelow(mv, [2, 55])) view.description = r.description;
  if (!versionBelow(mv, [2, 61])) view.extra_specs = f.extraSpecs;
  return view;
}

export function flavorListView(
  flavors: Flavor[],
  detail: boolean,
  mv: Microversion,
  base: string,
): Record<string, unknown> {
  const view = detail ? flavorView : flavorSummaryView;
  return { flavors: flavors.map((f) => view(f, mv, base)) };
}
