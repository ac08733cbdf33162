// A small Node.js language host for the Pulumi engine, built by scripts/toolchain.ts.
//
// The release's pulumi-language-nodejs lives in its own Go module that the module proxy does not
// serve, so the toolchain builds this stand-in instead. It speaks the same LanguageRuntime gRPC
// protocol and starts programs the same way: `node @pulumi/pulumi/cmd/run <flags> <entry point>`
// resolved from the program's folder, with the stack config in PULUMI_CONFIG and the secret keys
// in PULUMI_CONFIG_SECRET_KEYS. Policy packs and Node.js plugins go through RunPlugin
// (`@pulumi/pulumi/cmd/run-plugin`).
//
// Left out on purpose: the monitor proxy with synchronous-invoke pipes (the program talks to the
// engine's monitor directly, so `invoke` with `async: false` is not available), debugger
// attachment, code generation (GenerateProject/Program/Package, Pack, Link) and bun.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Exit code with which @pulumi/pulumi's runner says it already printed an actionable message.
const exitAfterUserMessage = 32

func main() {
	tracing := flag.String("tracing", "", "tracing endpoint (passed on to the program)")
	// Flags older engines pass; the runtime options now arrive in each request.
	flag.Bool("typescript", true, "obsolete")
	flag.String("root", "", "obsolete")
	flag.String("tsconfig", "", "obsolete")
	flag.String("nodeargs", "", "obsolete")
	flag.String("packagemanager", "", "obsolete")
	flag.Parse()
	logging.InitLogging(false, 0, false)

	engineAddress := ""
	if flag.NArg() > 0 {
		engineAddress = flag.Arg(0)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	cancel := make(chan bool)
	go func() {
		<-ctx.Done()
		stop()
		close(cancel)
	}()
	if engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, stop); err != nil {
			cmdutil.Exit(fmt.Errorf("could not start the engine health check: %w", err))
		}
	}

	host := &nodeHost{engineAddress: engineAddress, tracing: *tracing}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start the language host: %w", err))
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("language host stopped: %w", err))
	}
}

type nodeHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
	tracing       string
}

// runtimeOptions are the `runtime.options` of Pulumi.yaml that matter when starting node.
type runtimeOptions struct {
	typescript bool
	tsconfig   string
	nodeargs   []string
}

func parseRuntimeOptions(opts *structpb.Struct) (runtimeOptions, error) {
	out := runtimeOptions{typescript: true}
	m := opts.AsMap()
	if v, ok := m["typescript"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return out, errors.New("runtime option typescript must be a boolean")
		}
		out.typescript = b
	}
	if v, ok := m["tsconfig"]; ok {
		s, isString := v.(string)
		if !isString {
			return out, errors.New("runtime option tsconfig must be a string")
		}
		out.tsconfig = s
	}
	if v, ok := m["nodeargs"]; ok {
		s, isString := v.(string)
		if !isString {
			return out, errors.New("runtime option nodeargs must be a string")
		}
		out.nodeargs = strings.Fields(s)
	}
	return out, nil
}

func (o runtimeOptions) env() []string {
	var env []string
	if o.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if o.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+o.tsconfig)
	}
	return env
}

// resolveModule asks node for the file a module specifier resolves to from dir.
func resolveModule(nodeBin, dir, specifier string) (string, error) {
	script := "try { console.log(require.resolve(process.argv[1])) } catch (e) { " +
		"console.error(e.code === 'MODULE_NOT_FOUND' ? 'It looks like the Pulumi SDK has not been installed. " +
		"Have you run npm ci?' : e.message); process.exit(1) }"
	cmd := exec.Command(nodeBin, "-e", script, specifier)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return "", errors.New(strings.TrimSpace(string(exitErr.Stderr)))
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

func (h *nodeHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.engineAddress = req.GetEngineAddress()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *nodeHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// packageJSON holds the fields of a package.json that the host reads.
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
func (h *nodeHost) Run(_ context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on the PATH: " + err.Error()}, nil
	}
	info := req.GetInfo()
	programDir := info.GetProgramDirectory()
	runPath := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runPath == "" {
		runPath = "@pulumi/pulumi/cmd/run"
	}
	runPath, err = resolveModule(nodeBin, programDir, runPath)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	opts, err := parseRuntimeOptions(info.GetOptions())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	// The runner's flags (see @pulumi/pulumi/cmd/run/index.js).
	args := append([]string{}, opts.nodeargs...)
	args = append(args, runPath)
	flagIf := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flagIf("monitor", req.GetMonitorAddress())
	flagIf("engine", h.engineAddress)
	flagIf("organization", req.GetOrganization())
	flagIf("project", req.GetProject())
	flagIf("root-directory", info.GetRootDirectory())
	flagIf("stack", req.GetStack())
	flagIf("pwd", programDir)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flagIf("query-mode", strconv.FormatBool(req.GetQueryMode()))
	flagIf("parallel", strconv.Itoa(int(req.GetParallel())))
	flagIf("tracing", h.tracing)
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	// Config keys go to the program as "<namespace>:config:<name>", which every @pulumi/pulumi reads.
	cfg := make(map[string]string, len(req.GetConfig()))
	for k, v := range req.GetConfig() {
		key, err := config.ParseKey(k)
		if err != nil {
			return &pulumirpc.RunResponse{Error: err.Error()}, nil
		}
		cfg[key.Namespace()+":config:"+key.Name()] = v
	}
	cfgJSON, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}

	env := append(os.Environ(), "PULUMI_CONFIG="+string(cfgJSON), "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON))
	env = append(env, opts.env()...)

	cmd := exec.Command(nodeBin, args...)
	cmd.Env = env
	// Wrapped so that exec copies the output itself: node may switch a file descriptor it is
	// handed to non-blocking mode, which breaks Go's own writes to it.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == exitAfterUserMessage {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
			}, nil
		}
		return &pulumirpc.RunResponse{Error: "could not run node: " + err.Error()}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// RunPlugin runs a plugin written for Node.js (a policy pack, or a provider) in its folder.
func (h *nodeHost) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return err
	}
	info := req.GetInfo()
	opts, err := parseRuntimeOptions(info.GetOptions())
	if err != nil {
		return err
	}
	runPath := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PLUGIN_PATH")
	if runPath == "" {
		runPath = "@pulumi/pulumi/cmd/run-plugin"
	}
	runPath, err = resolveModule(nodeBin, info.GetProgramDirectory(), runPath)
	if err != nil {
		return err
	}
	args := []string{runPath}
	args = append(args, opts.nodeargs...)
	args = append(args, info.GetProgramDirectory())
	args = append(args, req.GetArgs()...)

	cmd := exec.Command(nodeBin, args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = append(append([]string{}, req.GetEnv()...), opts.env()...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return fmt.Errorf("Program exited with non-zero exit code: %d", exitErr.ExitCode())
		}
		return fmt.Errorf("could not run the plugin with node: %w", err)
	}
	return closer.Close()
}

// InstallDependencies runs `npm install` in the program's folder (used by `pulumi install`).
func (h *nodeHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()
	npmBin, err := exec.LookPath("npm")
	if err != nil {
		return err
	}
	cmd := exec.Command(npmBin, "install")
	cmd.Dir = req.GetInfo().GetProgramDirectory()
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm install: %w", err)
	}
	return closer.Close()
}

func (h *nodeHost) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return nil, err
	}
	out, err := exec.Command(nodeBin, "--version").Output()
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{Executable: nodeBin, Version: strings.TrimSpace(string(out))}, nil
}

// GetProgramDependencies reports the direct dependencies of package.json with their installed versions.
func (h *nodeHost) GetProgramDependencies(
	_ context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetPwd()
	}
	pkg, err := readPackageJSON(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(pkg.Dependencies)+len(pkg.DevDependencies))
	for n := range pkg.Dependencies {
		names = append(names, n)
	}
	for n := range pkg.DevDependencies {
		if _, dup := pkg.Dependencies[n]; !dup {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	deps := make([]*pulumirpc.DependencyInfo, 0, len(names))
	for _, n := range names {
		installed, err := readPackageJSON(filepath.Join(dir, "node_modules", n, "package.json"))
		if err != nil {
			continue
		}
		deps = append(deps, &pulumirpc.DependencyInfo{Name: n, Version: installed.Version})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

func (h *nodeHost) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}
