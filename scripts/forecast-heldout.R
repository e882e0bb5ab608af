# Held-out forecasting sets from other domains than M3, with R's forecasts on them, for
# `npm run bench:forecast` (bench/forecast.ts reads the folder this writes).
#
#   Rscript scripts/forecast-heldout.R [OUT_DIR] [SET,SET,...]
#
# SETs (default all): rdata, m3_other, scms, scms_weekly_more, cdnow.
# OUT_DIR defaults to $OPENKAM_FORECAST_HELDOUT or /tmp/openkam-forecast-heldout; nothing is
# written into the project. Needs Debian's r-cran-forecast (R's forecast 8.20).
# Reference data is read from $OPENKAM_REFERENCE_DATA (default ../shared/data).
#
# Sets (one origin per series, the last h values held out):
#   rdata_{monthly,quarterly,yearly}: the series of R's datasets and forecast packages
#     (h = 18, 8, 6 as M3);
#   m3_other: M3 "other" (h = 8) with auto.arima added (the shared data has R's ets only);
#   scms_weekly / scms_monthly: shipment lines per week / month by destination country, shipment
#     mode and product group, from the SCMS delivery history (scheduled delivery date; h = 13, 12);
#   scms_weekly_more: the same per week by the other groupings that give long enough series
#     (sub classification, vendor, manufacturing site, fulfilment, INCO term, first-line
#     designation, dosage form, brand), series equal to one already kept left out (h = 13);
#   cdnow_weekly: CDs, orders and dollars per week of the CDNOW cohort (h = 13).
# For each: <set>.csv (series_id,split,t,value) and <set>_r.csv
# (series_id,method,step,forecast,cpu_ms) for R's ets(), auto.arima() and snaive().
suppressMessages(library(forecast))
args <- commandArgs(TRUE)
out <- if (length(args) >= 1) args[1] else Sys.getenv("OPENKAM_FORECAST_HELDOUT", "/tmp/openkam-forecast-heldout")
ref <- Sys.getenv("OPENKAM_REFERENCE_DATA", "../shared/data")
sets <- if (length(args) >= 2) strsplit(args[2], ",")[[1]] else c("rdata", "m3_other", "scms", "scms_weekly_more", "cdnow")
dir.create(out, showWarnings = FALSE, recursive = TRUE)

write_set <- function(name, series, m, h) {
  long <- list()
  fc <- list()
  for (id in names(series)) {
    y <- as.numeric(series[[id]])
    n <- length(y)
    train <- y[1:(n - h)]
    test <- y[(n - h + 1):n]
    long[[id]] <- data.frame(series_id = id, split = c(rep("train", n - h), rep("test", h)), t = seq_len(n), value = y)
    x <- ts(train, frequency = m)
    for (method in c("ets", "arima", "snaive")) {
      t0 <- proc.time()
      f <- tryCatch(switch(method,
        ets = forecast(ets(x), h = h)$mean,
        arima = forecast(auto.arima(x), h = h)$mean,
        snaive = snaive(x, h = h)$mean), error = function(e) rep(NA_real_, h))
      el <- proc.time() - t0
      fc[[paste(id, method)]] <- data.frame(series_id = id, method = method, step = seq_len(h), forecast = as.numeric(f), cpu_ms = 1000 * (el[[1]] + el[[2]]))
    }
  }
  write.csv(do.call(rbind, long), file.path(out, paste0(name, ".csv")), row.names = FALSE)
  write.csv(do.call(rbind, fc), file.path(out, paste0(name, "_r.csv")), row.names = FALSE)
  cat(name, length(series), "series\n")
}

# ---- R's own data sets -------------------------------------------------------------------
rdata <- list(
  monthly = list(AirPassengers = AirPassengers, co2 = co2, nottem = nottem, USAccDeaths = USAccDeaths,
    ldeaths = ldeaths, mdeaths = mdeaths, fdeaths = fdeaths, UKDriverDeaths = UKDriverDeaths,
    Seatbelts_front = Seatbelts[, "front"], Seatbelts_rear = Seatbelts[, "rear"], Seatbelts_kms = Seatbelts[, "kms"],
    Seatbelts_PetrolPrice = Seatbelts[, "PetrolPrice"], wineind = wineind, gas = gas),
  quarterly = list(UKgas = UKgas, JohnsonJohnson = JohnsonJohnson, austres = austres, woolyrnq = woolyrnq,
    freeny_y = freeny.y),
  yearly = list(Nile = Nile, lynx = lynx, LakeHuron = LakeHuron, airmiles = airmiles, uspop = uspop,
    discoveries = discoveries, nhtemp = nhtemp, sunspot_year = sunspot.year, WWWusage = WWWusage,
    BJsales = BJsales, BJsales_lead = BJsales.lead, lh = lh)
)
if ("rdata" %in% sets) {
  write_set("rdata_monthly", rdata$monthly, 12, 18)
  write_set("rdata_quarterly", rdata$quarterly, 4, 8)
  write_set("rdata_yearly", rdata$yearly, 1, 6)
}

# ---- M3 other ----------------------------------------------------------------------------------
m3o <- read.csv(file.path(ref, "forecast/m3/m3_other.csv"))
m3o <- m3o[order(m3o$series_id, m3o$split != "train", m3o$t), ]
m3list <- lapply(split(m3o, m3o$series_id), function(s) c(s$value[s$split == "train"], s$value[s$split == "test"]))
if ("m3_other" %in% sets) write_set("m3_other", m3list, 1, 8)

# ---- SCMS shipments ----------------------------------------------------------------------------
scms <- read.csv(file.path(ref, "logistics/scms/scms_delivery_history_odd_ids.csv"), check.names = FALSE, encoding = "UTF-8", fileEncoding = "UTF-8-BOM")
date <- as.Date(scms[["Scheduled Delivery Date"]], format = "%d-%b-%y")
scms <- scms[!is.na(date), ]
date <- date[!is.na(date)]
week <- as.integer(floor((as.numeric(date) - 4) / 7))  # weeks starting on Monday
month <- as.integer(format(date, "%Y")) * 12 + as.integer(format(date, "%m")) - 1
groups <- list(country = scms$Country, mode = scms[["Shipment Mode"]], product = scms[["Product Group"]])
more <- list(subclass = scms[["Sub Classification"]], vendor = scms$Vendor, site = scms[["Manufacturing Site"]],
  fulfil = scms[["Fulfill Via"]], inco = scms[["Vendor INCO Term"]], firstline = scms[["First Line Designation"]],
  form = scms[["Dosage Form"]], brand = scms$Brand)
aggregate_by <- function(period, min_len, max_zero, groups) {
  out <- list()
  for (g in names(groups)) {
    key <- groups[[g]]
    for (k in names(which(table(key) >= 50))) {
      p <- period[key == k]
      span <- seq(min(p), max(period))
      y <- as.numeric(table(factor(p, levels = span)))
      if (length(y) >= min_len && mean(y == 0) <= max_zero) out[[paste0(g, ":", gsub("[^A-Za-z0-9]+", "_", k))]] <- y
    }
  }
  out
}
if ("scms" %in% sets) {
  write_set("scms_weekly", aggregate_by(week, 130, 0.5, groups), 52, 13)
  write_set("scms_monthly", aggregate_by(month, 48, 0.3, groups), 12, 12)
}
if ("scms_weekly_more" %in% sets) {
  kept <- aggregate_by(week, 130, 0.5, groups)
  extra <- aggregate_by(week, 130, 0.5, more)
  same <- function(a, b) length(a) == length(b) && all(a == b)
  extra <- extra[!vapply(seq_along(extra), function(i) any(vapply(c(kept, extra[seq_len(i - 1)]), same, TRUE, extra[[i]])), TRUE)]
  write_set("scms_weekly_more", extra, 52, 13)
}

# ---- CDNOW cohort ----------------------------------------------------------------------------------
cd <- read.table(file.path(ref, "customers/cdnow/CDNOW_sample.txt"))
cdate <- as.Date(as.character(cd$V3), format = "%Y%m%d")
cweek <- as.integer(floor((as.numeric(cdate) - as.numeric(as.Date("1997-01-01"))) / 7))
span <- seq(0, max(cweek))
f <- factor(cweek, levels = span)
if ("cdnow" %in% sets) write_set("cdnow_weekly", list(
  cds = as.numeric(tapply(cd$V4, f, sum, default = 0)),
  orders = as.numeric(table(f)),
  dollars = as.numeric(tapply(cd$V5, f, sum, default = 0))
), 52, 13)
