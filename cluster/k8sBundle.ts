/** Entry of dist/k8s.js: @kubernetes/client-node on its own, loaded by the other bundles on first connect. */
export * from '@kubernetes/client-node';
