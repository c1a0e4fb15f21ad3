import type { SoftwareConfigs } from '../../software-configs.js';
import type { ResourceContext, ResourceType } from '../types.js';
import { DOCS } from './docs.js';
import { multipartMessage, parseMultipart, type MimePart } from './mime.js';
import { configSteps, GROUP_PROPERTY, ignoreNotFound } from './software-config.js';
import { since } from './support.js';

interface Part {
  config: string;
  filename?: string | null;
  type?: string | null;
  subtype?: string | null;
}

const UUID_LIKE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/**
 * OS::Heat::MultipartMime (multi_part.py): the parts as one multi-part MIME message stored as a
 * software config. A part whose config is the id of a software config is that config's text (an
 * id that names none stays as written); a `multipart` part is split and its parts appended.
 */
export function multipartMime(configs: SoftwareConfigs): ResourceType {
  return {
    type: 'OS::Heat::MultipartMime',
    description: DOCS.multipartMime,
    supportStatus: since('2014.1'),
    properties: {
      group: {
        ...GROUP_PROPERTY,
        description:
          'Namespace to group this multi-part configs by when delivered to a server. This may ' +
          'imply what configuration tool is going to perform the configuration.',
        supportStatus: since('14.0.0'),
      },
      parts: {
        type: 'list',
        description: 'Parts belonging to this message.',
        default: [],
        schema: {
          '*': {
            type: 'map',
            schema: {
              config: {
                type: 'string',
                description:
                  'Content of part to attach, either inline or by referencing the ID of ' +
                  'another software config resource.',
                required: true,
              },
              filename: {
                type: 'string',
                description: 'Optional filename to associate with part.',
              },
              type: {
                type: 'string',
                description: 'Whether the part content is text or multipart.',
                default: 'text',
                constraints: [{ kind: 'allowed_values', values: ['text', 'multipart'] }],
              },
              subtype: {
                type: 'string',
                description: 'Optional subtype to specify with the type.',
              },
            },
          },
        },
      },
    },
    attributes: {
      config: { description: 'The config value of the software config.', type: 'string' },
    },

    async create(rc, props) {
      const parts = Array.isArray(props.parts) ? (props.parts as Part[]) : [];
      const sc = await configs.create(rc.ctx, {
        name: rc.physicalName(),
        group: (props.group as string | null) ?? null,
        config: await message(configs, rc, parts),
      });
      return sc.id;
    },
    ...configSteps(configs),
  };
}

async function message(
  configs: SoftwareConfigs,
  rc: ResourceContext,
  parts: Part[],
): Promise<string> {
  const out: MimePart[] = [];
  for (const item of parts) {
    let text = item.config;
    if (UUID_LIKE.test(text)) {
      const sc = await ignoreNotFound(() => configs.get(rc.ctx, item.config));
      if (sc) text = typeof sc.config === 'string' ? sc.config : '';
    }
    if ((item.type ?? 'text') === 'multipart') {
      for (const p of parseMultipart(text)) out.push(part(p.text, p.subtype, p.filename));
    } else {
      out.push(part(text, item.subtype ?? '', item.filename ?? ''));
    }
  }
  return multipartMessage(out);
}

/** _append_part: without a subtype, a filename's stem is the subtype (Heat's splitext[0]). */
function part(text: string, subtype: string, filename: string | null): MimePart {
  let sub = subtype;
  if (!sub && filename) {
    sub = splitextRoot(filename);
  }
  return { text, subtype: sub, filename: filename || null };
}

/** os.path.splitext(p)[0]: cut at the last dot of the base name unless only dots precede it. */
function splitextRoot(p: string): string {
  const base = p.lastIndexOf('/') + 1;
  const dot = p.lastIndexOf('.');
  if (dot <= base) return p;
  for (let i = base; i < dot; i++) if (p[i] !== '.') return p.slice(0, dot);
  return p;
}
