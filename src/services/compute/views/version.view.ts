import { formatVersion, type Microversion } from '../../../http/microversion.js';

const mediaTypes = (version: string) => [
  { base: 'application/json', type: `application/vnd.openstack.compute+json;version=${version}` },
];

function describedby() {
  return { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' };
}

// Nova still serves the v2.0 compatibility API next to v2.1; both are listed, v2.0 first.
export function v20(base: string): Record<string, unknown> {
  return {
    id: 'v2.0',
    status: 'SUPPORTED',
    version: '',
    min_version: '',
    updated: '2011-01-21T11:33:21Z',
    links: [{ rel: 'self', href: `${base}/compute/v2/` }],
  };
}

export function v21(
  base: string,
  range: { min: Microversion; max: Microversion },
): Record<string, unknown> {
  return {
    id: 'v2.1',
    status: 'CURRENT',
    version: formatVersion(range.max),
    min_version: formatVersion(range.min),
    updated: '2013-07-23T11:33:21Z',
    links: [{ rel: 'self', href: `${base}/compute/v2.1/` }],
  };
}

export function versionDocument(
  v: Record<string, unknown>,
  mediaVersion: string,
): Record<string, unknown> {
  return {
    version: {
      ...v,
      links: [...(v.links as unknown[]), describedby()],
      'media-types': mediaTypes(mediaVersion),
    },
  };
}
