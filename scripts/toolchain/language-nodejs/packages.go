// The resource plugins a program needs: every node_modules package that declares itself one.

package main

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

type packageJSON struct {
	Name            string            `json:"name"`
	Version         string            `json:"version"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
	Pulumi          struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

func readPackageJSON(path string) (packageJSON, error) {
	var pkg packageJSON
	b, err := os.ReadFile(path)
	if err != nil {
		return pkg, err
	}
	err = json.Unmarshal(b, &pkg)
	return pkg, err
}

// GetRequiredPackages lists the resource plugins that installed Pulumi packages ask for: every
// package under node_modules whose package.json has `"pulumi": {"resource": true}`.
func (h *nodeHost) GetRequiredPackages(
	_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	root := filepath.Join(req.GetInfo().GetProgramDirectory(), "node_modules")
	seen := map[string]bool{}
	var packages []*pulumirpc.PackageDependency
	walkErr := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() || d.Name() != "package.json" {
			return nil
		}
		// Only package roots: node_modules/<name>/package.json or node_modules/@scope/<name>/package.json.
		parent := filepath.Dir(filepath.Dir(path))
		if filepath.Base(parent) != "node_modules" &&
			!(strings.HasPrefix(filepath.Base(parent), "@") && filepath.Base(filepath.Dir(parent)) == "node_modules") {
			return nil
		}
		pkg, err := readPackageJSON(path)
		if err != nil || !pkg.Pulumi.Resource {
			return nil
		}
		name := pkg.Pulumi.Name
		if name == "" {
			if !strings.HasPrefix(pkg.Name, "@pulumi/") {
				return nil
			}
			name = strings.TrimPrefix(pkg.Name, "@pulumi/")
		}
		ver := pkg.Pulumi.Version
		if ver == "" {
			ver = pkg.Version
		}
		if ver != "" && !strings.HasPrefix(ver, "v") {
			ver = "v" + ver
		}
		if key := name + "@" + ver; !seen[key] {
			seen[key] = true
			packages = append(packages, &pulumirpc.PackageDependency{
				Name: name, Kind: "resource", Version: ver, Server: pkg.Pulumi.Server,
			})
		}
		return nil
	})
	if walkErr != nil {
		logging.V(3).Infof("errors while looking for plugins: %v", walkErr)
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: packages}, nil
}

// GetRequiredPlugins is the older form of GetRequiredPackages, kept for older engines.
func (h *nodeHost) GetRequiredPlugins(
	ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	res, err := h.GetRequiredPackages(ctx, &pulumirpc.GetRequiredPackagesRequest{Info: req.GetInfo()})
	if err != nil {
		return nil, err
	}
	plugins := make([]*pulumirpc.PluginDependency, 0, len(res.GetPackages()))
	for _, p := range res.GetPackages() {
		plugins = append(plugins, &pulumirpc.PluginDependency{
			Name: p.GetName(), Kind: p.GetKind(), Version: p.GetVersion(), Server: p.GetServer(),
		})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

// Run starts the Pulumi program under node and waits for it.
