export * from './permissions';
export * from './limits';
export * from './password-policy';
export * from './sso';
