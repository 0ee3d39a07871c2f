// Checks docker-compose.yml without a Docker engine: compose-go (the library `docker compose` itself
// uses) loads it, which validates it against the Compose specification's JSON schema, and the tests
// compare its services with what the worker really reads (worker/src/main/resources/application.yaml),
// the search attributes the workflows upsert and the worker image the build produces.
//
//	cd .ci/compose && go test ./...
package compose

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

const repo = "../.."

func load(t *testing.T) *types.Project {
	t.Helper()
	file := filepath.Join(repo, "docker-compose.yml")
	project, err := loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  repo,
		ConfigFiles: []types.ConfigFile{{Filename: file}},
		Environment: types.Mapping{"HOME": "/home/operator"},
	})
	if err != nil {
		t.Fatalf("docker-compose.yml is not a valid Compose file: %v", err)
	}
	return project
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repo, path))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func service(t *testing.T, p *types.Project, name string) types.ServiceConfig {
	t.Helper()
	s, err := p.GetService(name)
	if err != nil {
		t.Fatalf("no service %q: %v", name, err)
	}
	return s
}

func env(s types.ServiceConfig, key string) string {
	if v, ok := s.Environment[key]; ok && v != nil {
		return *v
	}
	return ""
}

func published(t *testing.T, s types.ServiceConfig, target uint32) string {
	t.Helper()
	for _, p := range s.Ports {
		if p.Target == target {
			return p.Published
		}
	}
	t.Fatalf("service %s does not publish port %d (ports: %+v)", s.Name, target, s.Ports)
	return ""
}

func TestTheFileFollowsTheComposeSpecification(t *testing.T) {
	p := load(t)
	for _, name := range []string{"postgresql", "temporal", "search-attributes", "temporal-ui", "worker"} {
		service(t, p, name)
	}
}

func TestImages(t *testing.T) {
	p := load(t)
	want := map[string]string{
		"postgresql":  "postgres:",
		"temporal":    "temporalio/auto-setup:",
		"temporal-ui": "temporalio/ui:",
	}
	for name, prefix := range want {
		if img := service(t, p, name).Image; !strings.HasPrefix(img, prefix) {
			t.Errorf("%s runs %q, want %s...", name, img, prefix)
		}
	}
	// The worker image is the one the build makes (worker/pom.xml, its version the project's).
	pom := read(t, "worker/pom.xml")
	version := regexp.MustCompile(`(?s)<parent>.*?<version>([^<]+)</version>`).FindStringSubmatch(pom)[1]
	if img := service(t, p, "worker").Image; img != "refarch/worker:"+version {
		t.Errorf("worker runs %q, want refarch/worker:%s", img, version)
	}
}

// Every variable the compose file gives the worker is one that application.yaml reads (or one the
// Google client libraries read), with values that point at the other services.
func TestWorkerEnvironmentMatchesApplicationYaml(t *testing.T) {
	p := load(t)
	worker := service(t, p, "worker")
	yaml := read(t, "worker/src/main/resources/application.yaml")
	placeholders := map[string]string{}
	for _, m := range regexp.MustCompile(`\$\{([A-Z_]+):([^}]*)\}`).FindAllStringSubmatch(yaml, -1) {
		placeholders[m[1]] = m[2]
	}
	google := map[string]bool{"GOOGLE_APPLICATION_CREDENTIALS": true, "CLOUDSDK_CONFIG": true}
	for key := range worker.Environment {
		if _, ok := placeholders[key]; !ok && !google[key] {
			t.Errorf("worker sets %s, which application.yaml does not read", key)
		}
	}
	for _, key := range []string{"TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "REFARCH_WORKER_PORT", "REFARCH_KUBECONFIG_DIR"} {
		if env(worker, key) == "" {
			t.Errorf("worker does not set %s", key)
		}
	}

	temporal := service(t, p, "temporal")
	frontend := published(t, temporal, 7233)
	if got := env(worker, "TEMPORAL_ADDRESS"); got != "temporal:7233" {
		t.Errorf("worker's TEMPORAL_ADDRESS is %q, want the temporal service's frontend temporal:7233", got)
	}
	if frontend != "7233" {
		t.Errorf("temporal publishes the frontend on %s, docs/operations.md says localhost:7233", frontend)
	}

	// The worker's HTTP port (health, metrics) is the one it is told to listen on, and published.
	port := env(worker, "REFARCH_WORKER_PORT")
	if port != placeholders["REFARCH_WORKER_PORT"] {
		t.Errorf("REFARCH_WORKER_PORT=%s differs from application.yaml's default %s", port, placeholders["REFARCH_WORKER_PORT"])
	}
	target, err := strconv.Atoi(port)
	if err != nil {
		t.Fatalf("REFARCH_WORKER_PORT=%q is not a port", port)
	}
	if got := published(t, worker, uint32(target)); got != port {
		t.Errorf("the worker's port %s is published as %s", port, got)
	}

	// Kubeconfigs go to a volume; credentials come read-only from the host's gcloud configuration.
	var creds *types.ServiceVolumeConfig
	kubeconfigs := false
	for i, v := range worker.Volumes {
		if strings.HasSuffix(v.Source, "/.config/gcloud") {
			creds = &worker.Volumes[i]
		}
		if v.Target == env(worker, "REFARCH_KUBECONFIG_DIR") {
			kubeconfigs = true
		}
	}
	if creds == nil || !creds.ReadOnly {
		t.Fatalf("worker must mount ~/.config/gcloud read-only, volumes: %+v", worker.Volumes)
	}
	if adc := env(worker, "GOOGLE_APPLICATION_CREDENTIALS"); !strings.HasPrefix(adc, creds.Target+"/") {
		t.Errorf("GOOGLE_APPLICATION_CREDENTIALS=%s is not inside the mounted %s", adc, creds.Target)
	}
	if !kubeconfigs {
		t.Errorf("REFARCH_KUBECONFIG_DIR=%s is not a volume", env(worker, "REFARCH_KUBECONFIG_DIR"))
	}
}

func TestWebUiReachesTheServerAndTheCodecServer(t *testing.T) {
	p := load(t)
	ui := service(t, p, "temporal-ui")
	worker := service(t, p, "worker")
	if got := env(ui, "TEMPORAL_ADDRESS"); got != "temporal:7233" {
		t.Errorf("UI's TEMPORAL_ADDRESS is %q", got)
	}
	uiPort := published(t, ui, 8080)
	origin := "http://localhost:" + uiPort
	// The codec server has a port of its own, published, and the UI's endpoint is on it.
	codecPort := env(worker, "REFARCH_CODEC_PORT")
	target, err := strconv.Atoi(codecPort)
	if err != nil {
		t.Fatalf("REFARCH_CODEC_PORT=%q is not a port", codecPort)
	}
	if codecPort == env(worker, "REFARCH_WORKER_PORT") {
		t.Errorf("the codec server shares the port of health and metrics %s", codecPort)
	}
	if got := env(ui, "TEMPORAL_CODEC_ENDPOINT"); got != "http://localhost:"+published(t, worker, uint32(target))+"/codec" {
		t.Errorf("UI's codec endpoint %q is not the worker's published /codec", got)
	}
	if !strings.Contains(env(worker, "REFARCH_CODEC_CORS_ORIGINS"), origin) {
		t.Errorf("the worker's codec server does not allow the UI's origin %s", origin)
	}
}

func TestSearchAttributesAreRegisteredBeforeTheWorkerStarts(t *testing.T) {
	p := load(t)
	init := service(t, p, "search-attributes")
	script := strings.Join(init.Command, " ")
	java := read(t, "workflows/src/main/java/io/refarch/workflow/RunSearchAttributes.java")
	names := regexp.MustCompile(`forKeyword\("([A-Za-z]+)"\)`).FindAllStringSubmatch(java, -1)
	if len(names) == 0 {
		t.Fatal("no search attributes found in RunSearchAttributes.java")
	}
	for _, n := range names {
		if !strings.Contains(script, n[1]) {
			t.Errorf("search-attributes does not register %s", n[1])
		}
	}
	if !strings.Contains(script, "--type Keyword") || !strings.Contains(script, "temporal operator search-attribute create") {
		t.Errorf("search-attributes does not create Keyword attributes: %s", script)
	}
	dep, ok := service(t, p, "worker").DependsOn["search-attributes"]
	if !ok || dep.Condition != types.ServiceConditionCompletedSuccessfully {
		t.Errorf("worker must wait for search-attributes to complete, depends_on: %+v", service(t, p, "worker").DependsOn)
	}
}
