import { defineProject } from 'weir';
import { catchments } from './src/catchments.js';
import { demCog } from './src/dem-cog.js';
import { cantonFeatures, catchmentFeatures } from './src/features.js';
import { cantonFiles, demFile } from './src/sources.js';
import { aspectCog, hillshadeCog, slopeCog } from './src/terrain.js';

export default defineProject({
  assets: [
    demFile,
    cantonFiles,
    demCog,
    slopeCog,
    aspectCog,
    hillshadeCog,
    catchments,
    cantonFeatures,
    catchmentFeatures,
  ],
  // Raster steps hold whole DEMs in memory: at most two at once (the machine has 2 cores).
  pools: { highmem: 2 },
});
