/**
 * Every completion provider, in the order their items are offered when two answer at once. To add one, write
 * core/completion/providers/<name>.ts exporting a CompletionProvider (an id, and provide() returning [] outside
 * its own context) and add it to this list: the framework, the language server and the tests take it from here.
 */
import type { CompletionProvider } from '../types.js';
import { accessModes } from './accessModes.js';
import { claimKeys } from './claimKeys.js';
import { dataSources } from './dataSources.js';
import { pdParameters } from './pdParameters.js';
import { sizes } from './sizes.js';
import { storageClasses } from './storageClasses.js';
import { vmVolumes } from './vmVolumes.js';
import { volumeModes } from './volumeModes.js';
import { volumeResize } from './volumeResize.js';

export const completionProviders: readonly CompletionProvider[] = [claimKeys, storageClasses, accessModes, volumeModes, dataSources, vmVolumes, sizes, pdParameters, volumeResize];
