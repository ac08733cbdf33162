// A small Node.js language host for the Pulumi engine, built by scripts/toolchain
// (parts/languageHost.ts).
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
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
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
