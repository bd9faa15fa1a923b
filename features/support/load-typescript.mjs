// Loaded first by cucumber.js: registers tsx's loader so the TypeScript step files can be imported,
// whether or not the caller set NODE_OPTIONS=--import tsx (registering twice is harmless).
import { register } from 'tsx/esm/api';

register();
