import { isoCinder, isoNow } from '../../../util.js';
import type { UploadImage, Volume } from '../types.js';

/** os-volume_upload_image's answer (cinder/api/contrib/volume_actions.py). */
export function uploadView(volume: Volume, imageId: string, input: UploadImage) {
  return {
    'os-volume_upload_image': {
      id: volume.row.id,
      updated_at: isoCinder(isoNow()),
      status: 'uploading',
      display_description: volume.row.description,
      size: volume.row.size,
      volume_type: null,
      image_id: imageId,
      container_format: input.containerFormat,
      disk_format: input.diskFormat,
      image_name: input.imageName,
    },
  };
}
