// argocd: the parts of Argo CD (github.com/argoproj/argo-cd/v3) the tests run, in one binary that
// picks its command from its name (or ARGOCD_BINARY_NAME), like upstream's cmd/main.go but without
// the API server, CLI, Dex, notifications and ApplicationSet controller:
//
//	argocd-application-controller   upstream's controller command
//	argocd-repo-server              upstream's repo server command
//	argocd-health SCRIPT.lua OBJECT.json
//	    runs a resource health check in Argo CD's own Lua VM (util/lua, the one the controller runs
//	    resource.customizations.health.* in: gopher-lua with only the base and table libraries) and
//	    prints the result as JSON, {"status": ..., "message": ...}
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/klog/v2"

	appcontroller "github.com/argoproj/argo-cd/v3/cmd/argocd-application-controller/commands"
	reposerver "github.com/argoproj/argo-cd/v3/cmd/argocd-repo-server/commands"
	"github.com/argoproj/argo-cd/v3/common"
	"github.com/argoproj/argo-cd/v3/util/log"
	"github.com/argoproj/argo-cd/v3/util/lua"
)

func main() {
	name := filepath.Base(os.Args[0])
	if value := os.Getenv("ARGOCD_BINARY_NAME"); value != "" {
		name = value
	}
	var command *cobra.Command
	switch name {
	case common.CommandApplicationController:
		command = appcontroller.NewCommand()
	case common.CommandRepoServer:
		command = reposerver.NewCommand()
	case "argocd-health":
		os.Exit(health(os.Args[1:]))
	default:
		fmt.Fprintf(os.Stderr, "argocd: run as %s, %s or argocd-health (by name or ARGOCD_BINARY_NAME), not %q\n",
			common.CommandApplicationController, common.CommandRepoServer, name)
		os.Exit(2)
	}
	klog.SetLogger(log.NewLogrusLogger(log.NewWithCurrentConfig()))
	// Upstream's main calls util/grpc.DisableSRVLookups() to undo what the grpclb balancer's init
	// does; grpclb is not linked into this binary (it comes with upstream's CLI and API server), so
	// SRV lookups are off already and that call would panic.
	if err := command.Execute(); err != nil {
		os.Exit(1)
	}
}

func health(args []string) int {
	if len(args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: argocd-health SCRIPT.lua OBJECT.json")
		return 2
	}
	script, err := os.ReadFile(args[0])
	if err != nil {
		return fail(err)
	}
	raw, err := os.ReadFile(args[1])
	if err != nil {
		return fail(err)
	}
	obj := &unstructured.Unstructured{}
	if err := obj.UnmarshalJSON(raw); err != nil {
		return fail(err)
	}
	result, err := lua.VM{}.ExecuteHealthLua(obj, string(script))
	if err != nil {
		return fail(err)
	}
	out, err := json.Marshal(result)
	if err != nil {
		return fail(err)
	}
	fmt.Println(string(out))
	return 0
}

func fail(err error) int {
	fmt.Fprintln(os.Stderr, err)
	return 1
}
