// The docker calls the host phases make for project `shop`, as the fake docker records them: one spelling for every
// golden test, so a change of a phase's call shows in one place.

/** `--filter …` of a service's containers. */
export const label = (name: string) =>
  `--filter label=com.docker.compose.project=shop --filter label=com.docker.compose.service=${name}`;
/** web's running containers, all of web's containers, the proxy's running containers. */
export const ids = `ps -q --no-trunc ${label('web')}`;
export const all = `ps -aq --no-trunc ${label('web')}`;
export const proxyIds = `ps -q --no-trunc ${label('proxy')}`;
/** networks_of (lib.sh): each network with the container's aliases on it. */
export const networksWithAliases = `inspect -f {{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{join $v.Aliases " "}}{{println}}{{end}}`;
/** wait_healthy (lib.sh): status and health. */
export const state = `inspect -f {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}`;
