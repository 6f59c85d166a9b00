package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"
	"github.com/aws/jsii-runtime-go"
)

// functionsModule is the directory (under the repository root) of the Go
// module that holds the Lambda mains.
const functionsModule = "functions"

// Bundler builds the main package pkg ("./functions/api", relative to
// the repository root) into outDir/bootstrap, a linux/arm64 executable.
type Bundler func(pkg, outDir string) error

// GoBuild returns the Bundler that runs the Go tool chain of this machine
// at the repository root, in the Go workspace (as the tests build it): no
// Docker. The build is reproducible (-trimpath, no VCS stamp, no build
// id), so an unchanged function keeps its asset hash and is not
// redeployed.
func GoBuild(root string) Bundler {
	return func(pkg, outDir string) error {
		cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-tags", "lambda.norpc",
			"-ldflags=-s -w -buildid=", "-o", filepath.Join(outDir, "bootstrap"), pkg)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build %s (GOOS=linux GOARCH=arm64) in %s: %w", pkg, cmd.Dir, err)
		}
		return nil
	}
}

// goBundler is the local bundling of one function asset (CDK calls
// TryBundle before it would fall back to Docker).
type goBundler struct {
	build Bundler
	pkg   string
}

// TryBundle builds the function into outputDir.
func (b *goBundler) TryBundle(outputDir *string, _ *awscdk.BundlingOptions) *bool {
	if err := b.build(b.pkg, *outputDir); err != nil {
		// Returning false would make CDK try Docker, which these builds do
		// not use: say why, so the Docker error that follows is explained.
		fmt.Fprintf(os.Stderr, "infra: local Go bundling failed (Docker is not used as a fallback): %v\n", err)
		return jsii.Bool(false)
	}
	return jsii.Bool(true)
}

// goFunctionCode returns the code asset of the functions module's main
// ./name, built by the configuration's bundler. The asset is hashed by
// its output (the binary), not by its source directory, because the
// binary depends on the shared module as well.
func goFunctionCode(c Config, name string) awslambda.Code {
	build := c.Bundler
	if build == nil {
		build = GoBuild(c.RepoRoot)
	}
	return awslambda.Code_FromAsset(jsii.String(filepath.Join(c.RepoRoot, functionsModule, name)), &awss3assets.AssetOptions{
		AssetHashType: awscdk.AssetHashType_OUTPUT,
		Bundling: &awscdk.BundlingOptions{
			// Never pulled: the local bundler always answers.
			Image: awscdk.DockerImage_FromRegistry(jsii.String("public.ecr.aws/docker/library/golang:1.26")),
			Local: &goBundler{build: build, pkg: "./" + functionsModule + "/" + name},
		},
	})
}
