// Command etcd is etcd's own server, built from go.etcd.io/etcd/server/v3 for the local platform's
// Kubernetes API server.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
