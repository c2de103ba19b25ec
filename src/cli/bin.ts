#!/usr/bin/env node
// The `dingcast` command. `npm run build` replaces this with a bundle of entry.js (scripts/bundle-bin.mjs).
import './entry.js';
