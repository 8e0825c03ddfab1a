package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// pki is what the server needs to start, all in the temporary folder: a CA and a serving certificate for
// 127.0.0.1/localhost, a service-account signing key, and a token file for the test users.
type pki struct {
	caPEM                   []byte
	servingCert, servingKey string
	saKey                   string
	tokenFile               string
	tokens                  map[string]string
}

// The users: admin is in system:masters; restricted gets the read-only ClusterRole of bootstrapRBAC;
// forbidden is authenticated and bound to nothing.
var users = map[string]struct{ name, groups string }{
	"admin":      {"kvs-admin", "system:masters"},
	"restricted": {"kvs-restricted", ""},
	"forbidden":  {"kvs-forbidden", ""},
}

func makePKI(dir string) (*pki, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "kvs-test-ca"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(10 * 24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	ca, _ := x509.ParseCertificate(caDER)
	srvKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	srvTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "kube-apiserver"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(10 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	srvDER, err := x509.CreateCertificate(rand.Reader, srvTmpl, ca, &srvKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	saKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	p := &pki{
		caPEM:       pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		servingCert: filepath.Join(dir, "serving.crt"),
		servingKey:  filepath.Join(dir, "serving.key"),
		saKey:       filepath.Join(dir, "sa.key"),
		tokenFile:   filepath.Join(dir, "tokens.csv"),
		tokens:      map[string]string{},
	}
	if err := os.WriteFile(p.servingCert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srvDER}), 0o600); err != nil {
		return nil, err
	}
	if err := writeECKey(p.servingKey, srvKey); err != nil {
		return nil, err
	}
	if err := writeECKey(p.saKey, saKey); err != nil {
		return nil, err
	}
	var csv strings.Builder
	for id, u := range users {
		b := make([]byte, 24)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		p.tokens[id] = hex.EncodeToString(b)
		fmt.Fprintf(&csv, "%s,%s,%s,%q\n", p.tokens[id], u.name, u.name, u.groups)
	}
	if err := os.WriteFile(p.tokenFile, []byte(csv.String()), 0o600); err != nil {
		return nil, err
	}
	return p, nil
}

func writeECKey(file string, key *ecdsa.PrivateKey) error {
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	return os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o600)
}

func (p *pki) client() *http.Client {
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(p.caPEM)
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
}

func kubeconfig(server string, caPEM []byte, user, token string) string {
	ca := base64.StdEncoding.EncodeToString(caPEM)
	return fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: kvs-apiserver
  cluster:
    server: %s
    certificate-authority-data: %s
users:
- name: %s
  user:
    token: %s
contexts:
- name: kvs-apiserver-%s
  context:
    cluster: kvs-apiserver
    user: %s
    namespace: default
current-context: kvs-apiserver-%s
`, server, ca, users[user].name, token, user, users[user].name, user)
}

// bootstrapRBAC gives the restricted user read access to everything (get, list, watch), as the emulator's
// `readonly` user has, and nothing else.
func bootstrapRBAC(ctx context.Context, client *http.Client, server, token string) error {
	objects := []struct{ path, body string }{
		{"/apis/rbac.authorization.k8s.io/v1/clusterroles", `{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole",
"metadata":{"name":"kvs-readonly"},"rules":[{"apiGroups":["*"],"resources":["*"],"verbs":["get","list","watch"]},
{"nonResourceURLs":["*"],"verbs":["get"]}]}`},
		{"/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", `{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding",
"metadata":{"name":"kvs-readonly"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"kvs-readonly"},
"subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"kvs-restricted"}]}`},
	}
	for _, o := range objects {
		if _, code, body, err := call(ctx, client, http.MethodPost, server+o.path, token, []byte(o.body)); err != nil || code != http.StatusCreated {
			return fmt.Errorf("create %s: HTTP %d %s %v", o.path, code, body, err)
		}
	}
	return nil
}
