import { NotFound } from '../../../../errors.js';
import { validationFailed } from '../../errors.js';
import { keyPairView } from '../../../compute/views/keypair.view.js';
import type { ResourceContext, ResourceType } from '../types.js';
import { findKeypair, NOVA_MICROVERSION } from './finders.js';

/** keystone.py get_user_id, reduced: a user of that name in the default domain, else an id. */
async function userId(rc: ResourceContext, ref: string): Promise<string> {
  try {
    return (await rc.services.identity.userByName(ref, 'default')).id;
  } catch (err) {
    if (err instanceof NotFound) return ref;
    throw err;
  }
}

/** OS::Nova::KeyPair (heat/engine/resources/openstack/nova/keypair.py); the id is the name. */
export const KEYPAIR: ResourceType = {
  type: 'OS::Nova::KeyPair',
  description:
    'A resource for creating Nova key pairs.\n\nA keypair is a ssh key that can be injected into a server on launch.\n\n**Note** that if a new key is generated setting `save_private_key` to `True` results in the system saving the private key which can then be retrieved via the `private_key` attribute of this resource.\n\nSetting the `public_key` property means that the `private_key` attribute of this resource will always return an empty string regardless of the `save_private_key` setting since there will be no private key data to save.',
  supportStatus: { status: 'SUPPORTED', version: '2014.1' },
  properties: {
    name: {
      type: 'string',
      description: 'The name of the key pair.',
      required: true,
      constraints: [{ kind: 'length', min: 1, max: 255 }],
    },
    save_private_key: {
      type: 'boolean',
      description: 'True if the system should remember a generated private key; False otherwise.',
      default: false,
    },
    public_key: {
      type: 'string',
      description:
        'The public key. This allows users to supply the public key from a pre-existing key pair. In Nova api version < 2.92, if not supplied, a new key pair will be generated. This property is required since Nova api version 2.92.',
    },
    type: {
      type: 'string',
      description: 'Keypair type. Supported since Nova api version 2.2.',
      constraints: [{ kind: 'allowed_values', values: ['ssh', 'x509'] }],
      supportStatus: { status: 'SUPPORTED', version: '8.0.0' },
    },
    user: {
      type: 'string',
      description:
        'ID or name of user to whom to add key-pair. The usage of this property is limited to being used by administrators only. Supported since Nova api version 2.10.',
      constraints: [{ kind: 'custom_constraint', name: 'keystone.user' }],
      supportStatus: { status: 'SUPPORTED', version: '9.0.0' },
    },
  },
  attributes: {
    public_key: { description: 'The public key.', type: 'string' },
    private_key: { description: 'The private key if it has been saved.', type: 'string' },
  },

  /** keypair.py validate: Nova here speaks 2.93, where a public key is required. */
  async validate(_rc, props) {
    if (typeof props.public_key !== 'string' || props.public_key === '')
      throw validationFailed(
        'The public_key property is required by the nova API version currently used.',
      );
  },

  async create(rc, props) {
    const made = await rc.services.compute.createKeyPair(rc.ctx, {
      name: String(props.name),
      type: props.type === 'x509' ? 'x509' : 'ssh',
      ...(typeof props.public_key === 'string' && props.public_key !== ''
        ? { publicKey: props.public_key }
        : {}),
      ...(typeof props.user === 'string' ? { userId: await userId(rc, props.user) } : {}),
    });
    if (props.save_private_key === true && made.privateKey !== undefined)
      await rc.data.set('private_key', made.privateKey);
    return made.keypair.name;
  },

  async delete(rc, id, props) {
    const user = typeof props.user === 'string' ? await userId(rc, props.user) : undefined;
    await rc.services.compute.deleteKeyPair(rc.ctx, user, id).catch((err: unknown) => {
      if (!(err instanceof NotFound)) throw err;
    });
  },

  async attribute(rc, id, name, props) {
    if (name === 'private_key')
      return props.save_private_key === true ? (rc.data.get('private_key') ?? '') : '';
    if (name === 'public_key') {
      if (typeof props.public_key === 'string' && props.public_key !== '') return props.public_key;
      const user = typeof props.user === 'string' ? await userId(rc, props.user) : undefined;
      return (await rc.services.compute.getKeyPair(rc.ctx, user, id)).public_key;
    }
    return null;
  },

  async show(rc, id) {
    const kp = await rc.services.compute.getKeyPair(rc.ctx, undefined, id);
    return keyPairView(kp, NOVA_MICROVERSION).keypair;
  },

  async check(rc, id) {
    await findKeypair(rc.services, rc.ctx, id);
  },
};
