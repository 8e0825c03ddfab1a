package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

type crd struct {
	Metadata struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Spec struct {
		Group string `json:"group"`
		Names struct {
			Plural string `json:"plural"`
		} `json:"names"`
		Versions []struct {
			Name   string `json:"name"`
			Served bool   `json:"served"`
		} `json:"versions"`
	} `json:"spec"`
}

// installCRDs creates every CustomResourceDefinition in the *.yaml files of dir and returns once each is
// Established and its served versions list it in discovery, so a client started afterwards finds them. CRDs of
// withoutGroups are left out (a cluster without, say, the snapshot CRDs).
func installCRDs(ctx context.Context, client *http.Client, server, token, dir string, withoutGroups []string) (int, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return 0, err
	}
	sort.Strings(files)
	var all []crd
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			return 0, err
		}
		dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(text), 4096)
		for {
			var raw json.RawMessage
			if err := dec.Decode(&raw); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				return 0, fmt.Errorf("%s: %w", f, err)
			}
			if len(bytes.TrimSpace(raw)) == 0 || string(raw) == "null" {
				continue
			}
			var c crd
			if err := json.Unmarshal(raw, &c); err != nil || c.Metadata.Name == "" {
				return 0, fmt.Errorf("%s: a document that is not a CustomResourceDefinition", f)
			}
			if slices.Contains(withoutGroups, c.Spec.Group) {
				continue
			}
			if _, code, body, err := call(ctx, client, http.MethodPost, server+"/apis/apiextensions.k8s.io/v1/customresourcedefinitions", token, raw); err != nil || code != http.StatusCreated {
				return 0, fmt.Errorf("%s: create %s: HTTP %d %s %v", f, c.Metadata.Name, code, body, err)
			}
			all = append(all, c)
		}
	}
	deadline := time.Now().Add(time.Minute)
	for _, c := range all {
		for _, v := range c.Spec.Versions {
			if !v.Served {
				continue
			}
			path := fmt.Sprintf("/apis/%s/%s", c.Spec.Group, v.Name)
			for {
				_, code, body, err := call(ctx, client, http.MethodGet, server+path, token, nil)
				if err == nil && code == http.StatusOK && strings.Contains(string(body), `"name":"`+c.Spec.Names.Plural+`"`) {
					break
				}
				if time.Now().After(deadline) {
					return 0, fmt.Errorf("%s is not served at %s after a minute", c.Metadata.Name, path)
				}
				select {
				case <-ctx.Done():
					return 0, ctx.Err()
				case <-time.After(50 * time.Millisecond):
				}
			}
		}
	}
	// A new resource's watch cache initializes after the CRD is served: until then a watch is 429 "storage is
	// (re)initializing" (ResilientWatchCacheInitialization), which a client started at once would meet.
	for _, c := range all {
		for _, v := range c.Spec.Versions {
			if !v.Served {
				continue
			}
			url := fmt.Sprintf("%s/apis/%s/%s/%s?watch=1&timeoutSeconds=1", server, c.Spec.Group, v.Name, c.Spec.Names.Plural)
			for {
				code, err := watchStatus(ctx, client, url, token)
				if err == nil && code == http.StatusOK {
					break
				}
				if time.Now().After(deadline) {
					return 0, fmt.Errorf("%s: a watch is still refused (HTTP %d %v) after a minute", c.Metadata.Name, code, err)
				}
				select {
				case <-ctx.Done():
					return 0, ctx.Err()
				case <-time.After(50 * time.Millisecond):
				}
			}
		}
	}
	return len(all), nil
}

// watchStatus starts a watch and returns its status code without reading the stream.
func watchStatus(ctx context.Context, client *http.Client, url, token string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	return res.StatusCode, nil
}

func call(ctx context.Context, client *http.Client, method, url, token string, body []byte) (http.Header, int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return nil, 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, 0, nil, err
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	return res.Header, res.StatusCode, out, err
}
