export * from './namespace';
export * from './endpoint';
export * from './service-types';
export * from './service-base';
export * from './client-server-service';
export * from './client-service';
export { RuleSeverity } from './rules/rule';
export { ServiceConnectRules } from './rules/index';
