export * from './objectives/term-kind';
export * from './objectives/estimate';
export * from './objectives/objectives';
export * from './health/endpoint-health-check';
export * from './health/calculated-health-check';
export * from './routing/failover-target';
export * from './routing/dns-failover';
export * from './routing/regional-record';
