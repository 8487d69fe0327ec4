import { defineProject } from 'weir';
import { directoryApp } from './src/api/index.js';
import { directory } from './src/directory.js';
import { agencyFeed, agencyInbox } from './src/feeds.js';
import { hsds } from './src/hsds.js';
import { searchIndex } from './src/search-index.js';

export default defineProject({
  assets: [agencyFeed, hsds, directory, searchIndex],
  sensors: [agencyInbox],
  apps: [directoryApp],
});
