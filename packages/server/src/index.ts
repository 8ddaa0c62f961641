export { createPuolesta, type Puolesta, type AppOptions } from './app.js';
export { configFromEnv, type Config } from './config.js';
export { openDatabase, type DatabaseHandle } from './db/database.js';
