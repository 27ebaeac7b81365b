-- wrk: POST /proposer with the session cookie and CSRF token given as arguments, a new title each time.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  cookie = args[1]
  token = args[2]
  counter = 0
  abstract = string.rep("Une+description+de+quelques+lignes+", 4)
end

function request()
  counter = counter + 1
  local tag = id .. "-" .. counter
  local body = "first_name=Camille&last_name=Dupont&email=bench" .. tag .. "%40interieur.gouv.fr"
    .. "&administration=DINUM&job_title=&title=Intervention+de+charge+" .. tag
    .. "&abstract=" .. abstract .. "&kind=autre&duration=15&consent=y&website=&csrf_token=" .. token
  return wrk.format("POST", "/proposer", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
  }, body)
end
