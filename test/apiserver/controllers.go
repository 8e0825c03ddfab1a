package main

import (
	"context"
	"fmt"
	"time"

	v1 "k8s.io/api/core/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/metadata"
	"k8s.io/client-go/rest"
	"k8s.io/klog/v2"
	namespacecontroller "k8s.io/kubernetes/pkg/controller/namespace"
	serviceaccountcontroller "k8s.io/kubernetes/pkg/controller/serviceaccount"
	"k8s.io/kubernetes/pkg/controller/volume/pvcprotection"
)

// startControllers runs the three kube-controller-manager controllers without which a bare API server keeps
// objects a cluster would not: the namespace controller (a deleted Namespace is emptied and goes away instead of
// staying Terminating), the PVC protection controller (the kubernetes.io/pvc-protection finalizer that admission
// adds is removed once no pod uses the claim, so a deleted PVC goes away) and the service account controller
// (every namespace gets its `default` ServiceAccount, which the ServiceAccount admission plugin requires of pods).
// The same informers feed the webhook service resolver (resolver.go). Nothing else runs: no scheduler, no kubelet, no volume binding, no garbage collector.
func startControllers(ctx context.Context, server string, caPEM []byte, token string, resolver *loopbackResolver) error {
	cfg := &rest.Config{Host: server, BearerToken: token, TLSClientConfig: rest.TLSClientConfig{CAData: caPEM}, QPS: 200, Burst: 400}
	client, err := kubernetes.NewForConfig(rest.AddUserAgent(cfg, "kvs-controllers"))
	if err != nil {
		return err
	}
	meta, err := metadata.NewForConfig(cfg)
	if err != nil {
		return err
	}
	factory := informers.NewSharedInformerFactory(client, 0)
	ns := namespacecontroller.NewNamespaceController(ctx, client, meta, client.Discovery().ServerPreferredNamespacedResources,
		factory.Core().V1().Namespaces(), 5*time.Minute, v1.FinalizerKubernetes)
	pvc, err := pvcprotection.NewPVCProtectionController(klog.FromContext(ctx), factory.Core().V1().PersistentVolumeClaims(), factory.Core().V1().Pods(), client)
	if err != nil {
		return fmt.Errorf("pvc protection controller: %w", err)
	}
	sa, err := serviceaccountcontroller.NewServiceAccountsController(factory.Core().V1().ServiceAccounts(), factory.Core().V1().Namespaces(),
		client, serviceaccountcontroller.DefaultServiceAccountsControllerOptions())
	if err != nil {
		return fmt.Errorf("service account controller: %w", err)
	}
	resolver.use(factory)
	factory.Start(ctx.Done())
	go ns.Run(ctx, 2)
	go pvc.Run(ctx, 1)
	go sa.Run(ctx, 1)
	for typ, ok := range factory.WaitForCacheSync(ctx.Done()) {
		if !ok {
			return fmt.Errorf("the controllers' %v informer did not sync", typ)
		}
	}
	return nil
}
