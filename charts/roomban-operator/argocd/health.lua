-- Argo CD health check for roomban.io/RoomBan.
-- Install as resource.customizations.health.roomban.io_RoomBan in argocd-cm (README.md).
-- Runs with only Lua's base and table libraries (Argo CD's default), written for Lua 5.1
-- (gopher-lua): no string library, no integer division. The order follows kstatus:
--   paused and not Ready       -> Suspended   (annotation roomban.io/paused: "true")
--   no status yet              -> Progressing (observedGeneration 0 is the schema's default)
--   observedGeneration behind  -> Progressing (the operator has not seen the latest spec)
--   Stalled=True               -> Degraded    (with the condition's message)
--   Ready=True                 -> Healthy
--   Reconciling=True           -> Progressing (with the condition's message)
--   otherwise                  -> Progressing

local function findCondition(conditions, conditionType)
  if conditions == nil then
    return nil
  end
  for _, condition in ipairs(conditions) do
    if condition.type == conditionType then
      return condition
    end
  end
  return nil
end

local function describe(condition, fallback)
  if condition.message ~= nil and condition.message ~= "" then
    return condition.message
  end
  if condition.reason ~= nil and condition.reason ~= "" then
    return condition.reason
  end
  return fallback
end

local hs = {}
local status = obj.status
local conditions = nil
if status ~= nil then
  conditions = status.conditions
end
local generation = tonumber(obj.metadata.generation)
local observedGeneration = nil
if status ~= nil then
  observedGeneration = tonumber(status.observedGeneration)
end
local current = generation == nil or (observedGeneration ~= nil and observedGeneration >= generation)
local ready = findCondition(conditions, "Ready")
local isReady = current and ready ~= nil and ready.status == "True"

local annotations = obj.metadata.annotations
if annotations ~= nil and annotations["roomban.io/paused"] == "true" and not isReady then
  hs.status = "Suspended"
  hs.message = "Paused by the roomban.io/paused annotation; no vendor calls until it is removed"
  return hs
end

if status == nil or observedGeneration == nil or observedGeneration == 0 then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe the RoomBan"
  return hs
end

if not current then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation) ..
    " (observed " .. tostring(observedGeneration) .. ")"
  return hs
end

local stalled = findCondition(conditions, "Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(stalled, "Stalled")
  return hs
end

if isReady then
  hs.status = "Healthy"
  hs.message = describe(ready, "Every user is out of the room")
  return hs
end

local reconciling = findCondition(conditions, "Reconciling")
if reconciling ~= nil and reconciling.status == "True" then
  hs.status = "Progressing"
  hs.message = describe(reconciling, "Removing users")
  return hs
end

hs.status = "Progressing"
if ready ~= nil then
  hs.message = describe(ready, "Waiting for the RoomBan to become Ready")
else
  hs.message = "Waiting for the RoomBan to become Ready"
end
return hs
