package main

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"sync/atomic"

	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/informers"
	corelisters "k8s.io/client-go/listers/core/v1"
	discoverylisters "k8s.io/client-go/listers/discovery/v1"
)

// loopbackResolver stands in for kube-proxy when the API server calls a webhook through `clientConfig.service`:
// the Service's port leads to the port of a ready endpoint in the Service's EndpointSlices, dialled on
// 127.0.0.1 whatever the endpoint's address says (kube-apiserver refuses loopback endpoint addresses, and there is
// no pod network here). The TLS server name stays <name>.<namespace>.svc, as in a cluster. A Service with no
// ready endpoint cannot be called, as in a cluster.
type loopbackResolver struct {
	listers atomic.Pointer[resolverListers]
}

type resolverListers struct {
	services corelisters.ServiceLister
	slices   discoverylisters.EndpointSliceLister
}

func (r *loopbackResolver) use(factory informers.SharedInformerFactory) {
	r.listers.Store(&resolverListers{factory.Core().V1().Services().Lister(), factory.Discovery().V1().EndpointSlices().Lister()})
}

func (r *loopbackResolver) ResolveEndpoint(namespace, name string, port int32) (*url.URL, error) {
	l := r.listers.Load()
	if l == nil {
		return nil, fmt.Errorf("service %s/%s: the test server's resolver is not ready yet", namespace, name)
	}
	svc, err := l.services.Services(namespace).Get(name)
	if err != nil {
		return nil, err
	}
	portName, found := "", false
	for _, p := range svc.Spec.Ports {
		if p.Port == port {
			portName, found = p.Name, true
		}
	}
	if !found {
		return nil, fmt.Errorf("service %s/%s has no port %d", namespace, name, port)
	}
	slices, err := l.slices.EndpointSlices(namespace).List(labels.SelectorFromSet(labels.Set{discoveryv1.LabelServiceName: name}))
	if err != nil {
		return nil, err
	}
	for _, s := range slices {
		for _, p := range s.Ports {
			// The port of the Service's port name; a slice with a single port serves whatever the name.
			named := (p.Name == nil && portName == "") || (p.Name != nil && *p.Name == portName)
			if p.Port == nil || (!named && len(s.Ports) > 1) {
				continue
			}
			for _, e := range s.Endpoints {
				if e.Conditions.Ready == nil || *e.Conditions.Ready {
					return &url.URL{Scheme: "https", Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(int(*p.Port)))}, nil
				}
			}
		}
	}
	return nil, fmt.Errorf("service %s/%s has no ready endpoint for port %d", namespace, name, port)
}
