import { Type } from '../../../http/schema.js';
import { NullableText } from './input.js';

/** cinder/api/schemas/volume_actions.py attach; instance_uuid's format is checked by the route. */
export const AttachBody = Type.Object({
  'os-attach': Type.Object(
    {
      instance_uuid: Type.Optional(Type.String()),
      mountpoint: Type.String({ minLength: 1, maxLength: 255 }),
      host_name: Type.Optional(Type.String({ maxLength: 255 })),
      mode: Type.Optional(Type.Union([Type.Literal('rw'), Type.Literal('ro')])),
    },
    { additionalProperties: false },
  ),
});

export const DetachBody = Type.Object({
  'os-detach': Type.Union([
    Type.Object(
      { attachment_id: Type.Optional(Type.Union([Type.String(), Type.Null()])) },
      { additionalProperties: false },
    ),
    Type.Null(),
  ]),
});

export const ResetStatusArgs = Type.Object({ status: Type.Optional(NullableText(255)) });

export const UploadImageArgs = Type.Object({
  image_name: Type.Optional(NullableText(255)),
  disk_format: Type.Optional(NullableText(255)),
  container_format: Type.Optional(NullableText(255)),
  visibility: Type.Optional(NullableText(255)),
  force: Type.Optional(Type.Unknown()),
  protected: Type.Optional(Type.Unknown()),
});
