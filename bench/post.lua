-- wrk: POST /proposer with the session cookie and CSRF token given as arguments, a new address and title each
-- time: each thread of each run draws its own prefix, since the site stores once the same address and title sent
-- again within minutes (a repeat answers faster and would flatter the figures).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  cookie = args[1]
  token = args[2]
  counter = 0
  local uuid = io.open("/proc/sys/kernel/random/uuid")
  run = uuid:read("*l"):sub(1, 8)
  uuid:close()
  abstract = string.rep("Une+description+de+quelques+lignes+", 4)
end

function request()
  counter = counter + 1
  local tag = run .. "-" .. id .. "-" .. counter
  local body = "first_name=Camille&last_name=Dupont&email=bench" .. tag .. "%40interieur.gouv.fr"
    .. "&administration=DINUM&job_title=&title=Intervention+de+charge+" .. tag
    .. "&abstract=" .. abstract .. "&kind=autre&duration=15&consent=y&website=&csrf_token=" .. token
  return wrk.format("POST", "/proposer", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
  }, body)
end
