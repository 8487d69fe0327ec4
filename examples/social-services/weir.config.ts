import { defineProject } from 'weir';
import { directoryApp } from './src/api/index.js';
import { directory } from './src/directory.js';
import { agencyEntry, agencyFeed } from './src/feeds.js';
import { hsds } from './src/hsds.js';
import { agencyInbox } from './src/inbox-sensor.js';
import { searchIndex } from './src/search-index.js';

export default defineProject({
  assets: [agencyFeed, agencyEntry, hsds, directory, searchIndex],
  sensors: [agencyInbox],
  apps: [directoryApp],
});
