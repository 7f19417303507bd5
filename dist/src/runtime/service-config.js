export {};
//# sourceMappingURL=service-config.js.map