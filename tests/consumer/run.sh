#!/usr/bin/env bash
# Consumer check for the NetDsl package: packs NetDsl.Runtime and NetDsl into a local folder feed, then
# builds a brand-new console project that references only the NetDsl package, has a Models/Tiny.nn,
# constructs the generated network and runs a forward pass. Finally a broken .nn must fail the build
# with "Broken.nn(line,col): error NN....". Prints "consumer: ok" on success; exits non-zero otherwise.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

feed="$work/feed"
version="0.1.0-consumer.$(date +%s)"
dotnet pack "$repo/runtime/NetDsl.Runtime" -c Release -o "$feed" -p:Version="$version" >/dev/null
dotnet pack "$repo/generator/NetDsl.Generator" -c Release -o "$feed" -p:Version="$version" >/dev/null

app="$work/app"
mkdir -p "$app/Models"
cp "$(dirname "$0")/Consumer.csproj.template" "$app/Consumer.csproj"
sed -i "s/NETDSL_VERSION/$version/" "$app/Consumer.csproj"
cat > "$app/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <!-- Added to the machine's own package sources, which stay in effect. -->
    <add key="local" value="$feed" />
  </packageSources>
</configuration>
CONFIG
cp "$(dirname "$0")/Tiny.nn" "$app/Models/Tiny.nn"
cp "$(dirname "$0")/Program.cs" "$app/Program.cs"
# A fresh folder outside the repository: no Directory.Build.props or central versions apply.
echo '<Project />' > "$work/Directory.Build.props"
echo '<Project />' > "$work/Directory.Build.targets"
echo '<Project />' > "$work/Directory.Packages.props"

dotnet run --project "$app" -c Release | tee "$work/run.log"
grep -q "output \[2, 10\]" "$work/run.log"

printf 'network Broken() {\n    input 3x32x32\n    conv(64 / 3, k: 3)\n}\n' > "$app/Models/Broken.nn"
if dotnet build "$app" -c Release > "$work/broken.log" 2>&1; then
  echo "consumer: the broken .nn file did not fail the build" >&2
  exit 1
fi
grep -E "Broken\.nn\([0-9]+,[0-9]+\): error NN[0-9]{4}" "$work/broken.log" | head -1
echo "consumer: ok"
