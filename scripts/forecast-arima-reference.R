# R's auto.arima on M3, for checking src/modules/forecasting/arima.domain.ts series by series.
#
#   Rscript scripts/forecast-arima-reference.R FREQUENCY [STRIDE] > OUT.csv
#
# FREQUENCY: monthly | quarterly | yearly | other; STRIDE k keeps every k-th series (1 = all;
# R needs about 1.7 s per monthly series). Writes, per series: R's orders, whether it has a
# constant/drift, AICc, sigma², the forecasts (";"-separated) and the CPU time. Reads
# $OPENKAM_REFERENCE_DATA (default ../shared/data); writes nothing into the project.
# bench/forecast.ts reads the files from $OPENKAM_FORECAST_HELDOUT/m3_arima_<frequency>.csv.
suppressMessages(library(forecast))
args <- commandArgs(TRUE)
freq <- args[1]
stride <- if (length(args) >= 2) as.integer(args[2]) else 1L
m <- c(monthly = 12L, quarterly = 4L, yearly = 1L, other = 1L)[[freq]]
ref <- Sys.getenv("OPENKAM_REFERENCE_DATA", "../shared/data")
d <- read.csv(file.path(ref, "forecast/m3", sprintf("m3_%s.csv", freq)))
ids <- unique(d$series_id)
ids <- ids[seq(1, length(ids), by = stride)]
rows <- list()
for (id in ids) {
  s <- d[d$series_id == id, ]
  tr <- s$value[s$split == "train"][order(s$t[s$split == "train"])]
  h <- sum(s$split == "test")
  t0 <- proc.time()
  fit <- auto.arima(ts(tr, frequency = m))
  fc <- forecast(fit, h = h)$mean
  el <- proc.time() - t0
  a <- fit$arma
  rows[[id]] <- data.frame(series_id = id, p = a[1], q = a[2], P = a[3], Q = a[4], m = a[5], d = a[6], D = a[7],
    const = length(fit$coef) > sum(a[1:4]), aicc = fit$aicc, sigma2 = fit$sigma2,
    f = paste(format(as.numeric(fc), digits = 10), collapse = ";"), cpu_ms = 1000 * (el[[1]] + el[[2]]))
}
write.csv(do.call(rbind, rows), stdout(), row.names = FALSE)
