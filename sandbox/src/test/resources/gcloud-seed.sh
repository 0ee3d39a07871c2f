#!/usr/bin/env bash
# The oracle: the GCP part of the 000 seed's manual procedure, command for command, run by the real gcloud
# and kubectl against the refarch sandbox. Only variable values differ from the seed.
#
#   gcloud-seed.sh http://127.0.0.1:PORT KUBECONFIG_DIR
#
# Start a sandbox first (e.g. `java ... io.refarch.sandbox.SandboxMain serve`, which prints GCP_REST=...).
# SEED_ONLY=1 stops after the seed's own commands and its checks (refarch bench times that much).
# CLOUDSDK_CONFIG is honoured when set (gcloud needs a writable config dir); else a temporary one is used.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 SANDBOX_REST_URL KUBECONFIG_DIR" >&2
  exit 2
fi
SANDBOX_URL="${1%/}/"
mkdir -p "$2"
export KUBECONFIG="$2/config"

# Point gcloud at the sandbox, without Google credentials.
export CLOUDSDK_CONFIG="${CLOUDSDK_CONFIG:-$(mktemp -d)}"
export CLOUDSDK_AUTH_DISABLE_CREDENTIALS=true
export CLOUDSDK_CORE_DISABLE_PROMPTS=1
export CLOUDSDK_API_ENDPOINT_OVERRIDES_CONTAINER="$SANDBOX_URL"
export CLOUDSDK_API_ENDPOINT_OVERRIDES_IAM="$SANDBOX_URL"
export CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDRESOURCEMANAGER="$SANDBOX_URL"
export CLOUDSDK_API_ENDPOINT_OVERRIDES_SERVICEUSAGE="$SANDBOX_URL"
# The account `gcloud config get-value core/account` reports to the clusterrolebinding step.
export CLOUDSDK_CORE_ACCOUNT="${CLOUDSDK_CORE_ACCOUNT:-sandbox-admin@example.com}"

# Every call is bounded so a misbehaving emulator cannot hang the run.
GCLOUD_BIN="$(type -P gcloud)"
KUBECTL_BIN="$(type -P kubectl)"
gcloud() { timeout 180 "$GCLOUD_BIN" "$@"; }
# get-credentials writes an exec entry for gke-gcloud-auth-plugin, which needs Google credentials we do not
# have. The sandbox's Kubernetes API accepts only tokens its OAuth token endpoint issued, so kubectl gets one
# from there (a refresh-token grant, as Google's own endpoint takes it), fetched once per kubectl call.
sandbox_token() {
  curl -sf --max-time 10 -X POST -d grant_type=refresh_token -d refresh_token=seed -d client_id=seed \
    "${SANDBOX_URL}token" | sed -E 's/.*"access_token" *: *"([^"]+)".*/\1/'
}
kubectl() { timeout 60 "$KUBECTL_BIN" --token="$(sandbox_token)" "$@"; }

PROJECT_NAME="${PROJECT_NAME:-sandbox-project}"
export CLOUDSDK_CORE_PROJECT="$PROJECT_NAME"

# ---- from the seed, unchanged but for variable values ----

GKE_SA=gitpod-gke
GKE_SA_EMAIL="${GKE_SA}"@"${PROJECT_NAME}".iam.gserviceaccount.com
gcloud iam service-accounts create "${GKE_SA}" --display-name "${GKE_SA}"
gcloud projects add-iam-policy-binding "${PROJECT_NAME}" --member serviceAccount:"${GKE_SA_EMAIL}" --role="roles/storage.admin"
gcloud projects add-iam-policy-binding "${PROJECT_NAME}" --member serviceAccount:"${GKE_SA_EMAIL}" --role="roles/logging.logWriter"
gcloud projects add-iam-policy-binding "${PROJECT_NAME}" --member serviceAccount:"${GKE_SA_EMAIL}" --role="roles/monitoring.metricWriter"
gcloud projects add-iam-policy-binding "${PROJECT_NAME}" --member serviceAccount:"${GKE_SA_EMAIL}" --role="roles/container.admin"

CLUSTER_NAME="${CLUSTER_NAME:-gitpod}"
REGION="${REGION:-us-central1}"
GKE_VERSION=1.22.12-gke.1200

gcloud container clusters \
    create "${CLUSTER_NAME}" \
    --disk-type="pd-ssd" --disk-size="50GB" \
    --image-type="UBUNTU_CONTAINERD" \
    --machine-type="e2-standard-2" \
    --cluster-version="${GKE_VERSION}" \
    --region="${REGION}" \
    --service-account "${GKE_SA_EMAIL}" \
    --num-nodes=1 \
    --no-enable-basic-auth \
    --enable-autoscaling \
    --enable-autorepair \
    --no-enable-autoupgrade \
    --enable-ip-alias \
    --enable-network-policy \
    --create-subnetwork name="gitpod-${CLUSTER_NAME}" \
    --metadata=disable-legacy-endpoints=true \
    --max-pods-per-node=110 \
    --default-max-pods-per-node=110 \
    --min-nodes=0 \
    --max-nodes=1 \
    --addons=HorizontalPodAutoscaling,NodeLocalDNS,NetworkPolicy

gcloud --quiet container node-pools delete default-pool \
    --cluster="${CLUSTER_NAME}" --region="${REGION}"

gcloud container node-pools \
    create "workload-services" \
    --cluster="${CLUSTER_NAME}" \
    --disk-type="pd-ssd" \
    --disk-size="100GB" \
    --image-type="UBUNTU_CONTAINERD" \
    --machine-type="n2d-standard-4" \
    --num-nodes=1 \
    --no-enable-autoupgrade \
    --enable-autorepair \
    --enable-autoscaling \
    --metadata disable-legacy-endpoints=true \
    --scopes="gke-default,https://www.googleapis.com/auth/ndev.clouddns.readwrite" \
    --node-labels="gitpod.io/workload_meta=true,gitpod.io/workload_ide=true,gitpod.io/workload_workspace_services=true" \
    --max-pods-per-node=110 \
    --min-nodes=1 \
    --max-nodes=4 \
    --region="${REGION}"

gcloud container node-pools \
    create "workload-regular-workspaces" \
    --cluster="${CLUSTER_NAME}" \
    --disk-type="pd-ssd" \
    --disk-size="512GB" \
    --image-type="UBUNTU_CONTAINERD" \
    --machine-type="n2d-standard-16" \
    --num-nodes=1 \
    --no-enable-autoupgrade \
    --enable-autorepair \
    --enable-autoscaling \
    --metadata disable-legacy-endpoints=true \
    --scopes="gke-default,https://www.googleapis.com/auth/ndev.clouddns.readwrite" \
    --node-labels="gitpod.io/workload_workspace_regular=true" \
    --max-pods-per-node=110 \
    --min-nodes=1 \
    --max-nodes=50 \
    --region="${REGION}"

gcloud container node-pools \
    create "workload-headless-workspaces" \
    --cluster="${CLUSTER_NAME}" \
    --disk-type="pd-ssd" \
    --disk-size="512GB" \
    --image-type="UBUNTU_CONTAINERD" \
    --machine-type="n2d-standard-16" \
    --num-nodes=1 \
    --no-enable-autoupgrade \
    --enable-autorepair \
    --enable-autoscaling \
    --metadata disable-legacy-endpoints=true \
    --scopes="gke-default,https://www.googleapis.com/auth/ndev.clouddns.readwrite" \
    --node-labels="gitpod.io/workload_workspace_headless=true" \
    --max-pods-per-node=110 \
    --min-nodes=1 \
    --max-nodes=50 \
    --region="${REGION}"

gcloud container clusters get-credentials --region="${REGION}" "${CLUSTER_NAME}"

kubectl create clusterrolebinding cluster-admin-binding \
    --clusterrole=cluster-admin \
    --user="$(gcloud config get-value core/account)"

# ---- end of the seed; what the cluster looks like to kubectl ----

kubectl get nodes
kubectl get clusterrolebinding
kubectl get nodes -o custom-columns='NAME:.metadata.name,POOL:.metadata.labels.cloud\.google\.com/gke-nodepool,RUNTIME:.status.nodeInfo.containerRuntimeVersion,KERNEL:.status.nodeInfo.kernelVersion,PODS:.status.capacity.pods,LABELS:.metadata.labels'
kubectl get clusterrolebinding cluster-admin-binding -o custom-columns='NAME:.metadata.name,ROLE:.roleRef.name,USER:.subjects[0].name'

if [ "${SEED_ONLY:-}" = 1 ]; then
  exit 0
fi

# ---- beyond the seed: its services-pool command with --service-account ----
# What gcloud sends when a pool names its account, as refarch's gcp.nodePoolServiceAccount does (the seed's
# own pools run as the Compute Engine default account). Made and deleted again, so the cluster is as above.
gcloud container node-pools \
    create "services-as-gitpod-gke" \
    --cluster="${CLUSTER_NAME}" \
    --disk-type="pd-ssd" \
    --disk-size="100GB" \
    --image-type="UBUNTU_CONTAINERD" \
    --machine-type="n2d-standard-4" \
    --num-nodes=1 \
    --no-enable-autoupgrade \
    --enable-autorepair \
    --enable-autoscaling \
    --metadata disable-legacy-endpoints=true \
    --scopes="gke-default,https://www.googleapis.com/auth/ndev.clouddns.readwrite" \
    --service-account "${GKE_SA_EMAIL}" \
    --node-labels="gitpod.io/workload_meta=true,gitpod.io/workload_ide=true,gitpod.io/workload_workspace_services=true" \
    --max-pods-per-node=110 \
    --min-nodes=1 \
    --max-nodes=4 \
    --region="${REGION}"

gcloud --quiet container node-pools delete "services-as-gitpod-gke" \
    --cluster="${CLUSTER_NAME}" --region="${REGION}"
