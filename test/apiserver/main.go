// Command kvs-apiserver runs a kube-apiserver (k8s.io/kubernetes v1.34.4) on an embedded etcd for the test
// suite: loopback only, TLS with a fresh CA, token users under RBAC, the default admission plugins. It writes
// kubeconfig files into --dir once /readyz answers and the test roles exist, and on SIGTERM or SIGINT stops the
// server and etcd and removes everything it wrote. See README.md beside this file.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	dir := flag.String("dir", "", "folder for the kubeconfig files (must exist)")
	port := flag.Int("port", 0, "secure port of the API server on 127.0.0.1 (0: a free one)")
	crds := flag.String("crds", "", "folder of CustomResourceDefinition *.yaml files to install (served and watchable) before the kubeconfigs are written")
	without := flag.String("without-groups", "", "comma-separated API groups whose CRDs in --crds are left out")
	readyTimeout := flag.Duration("ready-timeout", 3*time.Minute, "how long to wait for /readyz")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "kvs-apiserver: --dir is required")
		os.Exit(2)
	}
	if err := run(*dir, *crds, strings.Split(*without, ","), *port, *readyTimeout); err != nil {
		fmt.Fprintln(os.Stderr, "kvs-apiserver:", err)
		os.Exit(1)
	}
}

func run(dir, crds string, without []string, port int, readyTimeout time.Duration) (err error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("--dir %s is not a folder", dir)
	}
	// The command installs the SIGTERM/SIGINT handler (a second signal exits at once), so build it first:
	// a signal during etcd's start then cancels the context instead of killing the process mid-way.
	cmd := app.NewAPIServerCommand()
	ctx := cmd.Context()

	tmp, err := os.MkdirTemp("", "kvs-apiserver-")
	if err != nil {
		return err
	}
	written := []string{}
	removeFiles := func() error {
		for _, f := range written {
			_ = os.Remove(f)
		}
		return os.RemoveAll(tmp)
	}
	defer func() {
		if rmErr := removeFiles(); rmErr != nil && err == nil {
			err = rmErr
		}
	}()

	pki, err := makePKI(tmp)
	if err != nil {
		return err
	}
	ports, err := freePorts(3)
	if err != nil {
		return err
	}
	if port == 0 {
		port = ports[2]
	}
	etcd, etcdURL, err := startEtcd(ctx, filepath.Join(tmp, "etcd"), ports[0], ports[1])
	if err != nil {
		return err
	}
	defer func() {
		etcd.Close()
		<-etcd.Server.StopNotify()
	}()

	cmd.SetArgs([]string{
		"--etcd-servers=" + etcdURL,
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(port),
		"--cert-dir=" + filepath.Join(tmp, "certs"),
		"--tls-cert-file=" + pki.servingCert,
		"--tls-private-key-file=" + pki.servingKey,
		"--token-auth-file=" + pki.tokenFile,
		"--authorization-mode=RBAC",
		"--service-account-issuer=https://kubernetes.default.svc",
		"--service-account-key-file=" + pki.saKey,
		"--service-account-signing-key-file=" + pki.saKey,
		"--service-cluster-ip-range=10.0.0.0/24",
		// The endpoint reconciler would publish 127.0.0.1 in default/kubernetes, which validation refuses.
		"--endpoint-reconciler-type=none",
		"--allow-privileged=true",
		"--profiling=false",
	})
	// Webhooks behind `clientConfig.service` reach the test process through the Service's EndpointSlices.
	resolver := &loopbackResolver{}
	app.SetServiceResolverForTests(resolver)
	done := make(chan error, 1)
	go func() { done <- cmd.Execute() }()

	server := "https://127.0.0.1:" + strconv.Itoa(port)
	client := pki.client()
	if err := waitReady(ctx, client, server, pki.tokens["admin"], readyTimeout, done); err != nil {
		return err
	}
	if err := startControllers(ctx, server, pki.caPEM, pki.tokens["admin"], resolver); err != nil {
		return err
	}
	if err := bootstrapRBAC(ctx, client, server, pki.tokens["admin"]); err != nil {
		return err
	}
	if crds != "" {
		n, err := installCRDs(ctx, client, server, pki.tokens["admin"], crds, without)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "kvs-apiserver: %d CustomResourceDefinitions served\n", n)
	}
	// The restricted files first: start.sh takes the admin kubeconfig as the sign that all are there.
	for _, u := range []string{"forbidden", "restricted", "admin"} {
		name := "kubeconfig"
		if u != "admin" {
			name += "-" + u
		}
		f := filepath.Join(dir, name)
		if err := writeAtomic(f, kubeconfig(server, pki.caPEM, u, pki.tokens[u])); err != nil {
			return err
		}
		written = append(written, f)
	}
	fmt.Fprintf(os.Stderr, "kvs-apiserver: ready at %s (kubeconfigs in %s)\n", server, dir)
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
		fmt.Fprintln(os.Stderr, "kvs-apiserver: stopped")
	case <-ctx.Done():
		// An open watch holds kube-apiserver's shutdown for its full minute; a test server has nothing to drain.
		select {
		case <-done:
			fmt.Fprintln(os.Stderr, "kvs-apiserver: stopped")
		case <-time.After(drainTimeout):
			// Closing etcd under a live API server can take as long again (and the server may exit on its own
			// when its storage goes), so remove the files and end the process: that closes everything.
			fmt.Fprintf(os.Stderr, "kvs-apiserver: still draining long-running requests after %s; exiting\n", drainTimeout)
			if err := removeFiles(); err != nil {
				fmt.Fprintln(os.Stderr, "kvs-apiserver:", err)
				os.Exit(1)
			}
			os.Exit(0)
		}
	}
	return nil
}

// drainTimeout is how long a stopping server may take before the program exits regardless.
const drainTimeout = time.Second

// freePorts returns n distinct free loopback ports: all are held open until the last is found, so that the
// kernel cannot hand out the same port twice (it did: etcd and the API server once got the same one).
func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func startEtcd(ctx context.Context, dataDir string, clientPort, peerPort int) (*embed.Etcd, string, error) {
	cfg := embed.NewConfig()
	cfg.Name = "kvs-test"
	cfg.Dir = dataDir
	// The API server reports etcd trouble itself; etcd's own error lines are shutdown noise ("use of closed network connection").
	cfg.LogLevel = "panic"
	cfg.UnsafeNoFsync = true // a throw-away store: durability buys nothing, fsync costs seconds per test run
	cu := url.URL{Scheme: "http", Host: "127.0.0.1:" + strconv.Itoa(clientPort)}
	pu := url.URL{Scheme: "http", Host: "127.0.0.1:" + strconv.Itoa(peerPort)}
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{cu}, []url.URL{cu}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{pu}, []url.URL{pu}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, "", fmt.Errorf("start etcd: %w", err)
	}
	select {
	case <-e.Server.ReadyNotify():
		return e, cu.String(), nil
	case err := <-e.Err():
		e.Close()
		return nil, "", fmt.Errorf("etcd: %w", err)
	case <-time.After(time.Minute):
		e.Close()
		return nil, "", errors.New("etcd did not become ready within a minute")
	case <-ctx.Done():
		e.Close()
		return nil, "", ctx.Err()
	}
}

func waitReady(ctx context.Context, client *http.Client, server, token string, timeout time.Duration, done <-chan error) error {
	deadline := time.Now().Add(timeout)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, server+"/readyz", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		if res, err := client.Do(req); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case err := <-done:
			if err == nil {
				err = errors.New("the API server stopped before it was ready")
			}
			return err
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s/readyz did not answer 200 within %s", server, timeout)
		}
	}
}

func writeAtomic(file, content string) error {
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, file)
}
