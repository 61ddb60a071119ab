import type { ExtensionFactory } from '@stitch/collector-api';
import { fileStorageConfigSchema, type FileStorageConfig } from './config.js';
import { FileStorageExtension } from './file-storage.js';

export const fileStorageExtensionFactory: ExtensionFactory<FileStorageConfig> = {
  type: 'file_storage',
  kind: 'extension',
  stability: 'beta',
  configSchema: fileStorageConfigSchema,
  create: (settings, config) => new FileStorageExtension(settings, config),
};
