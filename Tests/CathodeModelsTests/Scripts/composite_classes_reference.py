#!/usr/bin/env python3
"""Independent reference for the composite model's particle classes (CathodeLab, test-only).

The limit of Model D with very high SE and electronic conductivities: every depth is alike, so the electrode is
a set of particle classes k (CAM share w_k, contact fraction f_k) at one shared solid potential phi_s (phi_e = 0):

    v_j dc_kj/dt = D (A_{j+1} (c_k,j+1 - c_kj) - A_j (c_kj - c_k,j-1)) / dr + [j = N-1] A_N f_k i_k / F
    theta_k = (c_k,N-1 + f_k i_k dr / (2 D F)) / c_max + s i_k               (surface + contact-spot rise)
    i_k = -2 i0 (sqrt(theta_k (1 - theta_k)) / 0.5) sinh(F/(RT) (phi_s - U(theta_k)) / 2)
    sum_k a_k i_k L = I,   a_k = a w_k f_k / sum w f,
    V = phi_s - I R_sep - I R_CE,  discharge until V = V_cut,

with the same equal-shell finite volumes in r as the Swift model (v_j = r_{j+1}^3 - r_j^3, A_j = 3 r_j^2), but
integrated with SciPy's BDF (solve_ivp, rtol 1e-9) and a terminal event for the cut-off instead of CathodeLab's
variable-order BDF with Milne error control and regula falsi; the algebraic class currents and phi_s are solved
by Newton from the last solution (nested bisection and brentq as fallback) at every right-hand side instead of the Swift model's banded Newton with the classes
eliminated per cell. U(theta) is the piecewise-linear table the Swift run uses.

Input: a JSON file (argument 1) with the keys read below. Output (stdout): JSON with the capacity [mAh g-1] and
the voltage vs Li/Li+ at half of it.
"""
import json
import sys

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

FARADAY = 96485.33212


def main():
    p = json.load(open(sys.argv[1]))
    radius, diffusivity, cmax = p["particleRadius"], p["particleDiffusivity"], p["maxConcentration"]
    shells = p["particleShells"]
    weights = np.array(p["classWeights"])
    contacts = np.array(p["classContactFractions"])
    area_total, thickness, current = p["specificArea"], p["thickness"], p["current"]
    i0_ref, inverse_thermal, spot = p["exchangeCurrentDensity"], p["inverseThermalVoltage"], p["spotPerCurrent"]
    series_resistance, cutoff = p["seriesResistance"], p["cutoffVsLi"]
    table_theta, table_voltage = np.array(p["ocpStoichiometry"]), np.array(p["ocpVoltage"])
    mass_loading = p["massLoading"]

    dr = radius / shells
    faces = np.arange(shells + 1) * dr
    volume = faces[1:] ** 3 - faces[:-1] ** 3
    face_area = 3 * faces**2
    class_area = area_total * weights * contacts / np.sum(weights * contacts)
    classes = len(weights)

    def ocp(theta):
        return np.interp(theta, table_theta, table_voltage)

    def class_currents(phi_s, surface_conc):
        """i_k at a given phi_s: i - g(theta(i)) = 0 per class, by Newton (analytic derivative) from the current that
        ignores the theta rise, safeguarded by bisection on a bracket (the residual rises with i: inserting Li raises
        theta and lowers U, which raises the driving force back)."""
        lift = contacts / FARADAY * dr / (2 * diffusivity) / cmax + spot  # d theta / d i

        def residual(i):
            theta = np.clip(surface_conc / cmax + lift * i, 1e-9, 1 - 1e-9)
            i0 = i0_ref * np.sqrt(theta * (1 - theta)) / 0.5
            return i + 2 * i0 * np.sinh(inverse_thermal * (phi_s - ocp(theta)) / 2)

        low = np.full(classes, -1e3)
        high = np.full(classes, 1e3)
        current_guess = np.zeros(classes)
        for _ in range(200):
            value = residual(current_guess)
            low = np.where(value < 0, current_guess, low)
            high = np.where(value >= 0, current_guess, high)
            step = 1e-7 * np.maximum(1.0, np.abs(current_guess))
            slope = (residual(current_guess + step) - value) / step
            newton = current_guess - value / np.where(slope > 0, slope, 1.0)
            inside = (slope > 0) & (newton > low) & (newton < high)
            update = np.where(inside, newton, 0.5 * (low + high))
            if np.all(np.abs(update - current_guess) <= 1e-13 * np.maximum(1.0, np.abs(update))):
                return update
            current_guess = update
        raise RuntimeError("class currents did not converge")

    def potentials_bracketed(surface):
        def mismatch(phi_s):
            return np.sum(class_area * class_currents(phi_s, surface)) * thickness - current

        phi_s = brentq(mismatch, 2.0, 5.0, xtol=1e-13, rtol=1e-14, maxiter=500)
        return phi_s, class_currents(phi_s, surface)

    warm = {}

    def potentials(conc):
        """phi_s and the class currents: Newton on all K + 1 equations from the last solution (finite-difference
        Jacobian), falling back to the bracketed nested solve when it does not converge in 20 iterations."""
        surface = conc[:, -1]
        lift = contacts / FARADAY * dr / (2 * diffusivity) / cmax + spot

        def equations(u):
            i, phi_s = u[:-1], u[-1]
            theta = np.clip(surface / cmax + lift * i, 1e-9, 1 - 1e-9)
            i0 = i0_ref * np.sqrt(theta * (1 - theta)) / 0.5
            kinetic = i + 2 * i0 * np.sinh(inverse_thermal * (phi_s - ocp(theta)) / 2)
            return np.append(kinetic, np.sum(class_area * i) * thickness - current)

        if "u" in warm:
            u = warm["u"].copy()
            for _ in range(20):
                value = equations(u)
                jacobian = np.empty((classes + 1, classes + 1))
                for column in range(classes + 1):
                    step = 1e-7 * max(1.0, abs(u[column]))
                    shifted = u.copy()
                    shifted[column] += step
                    jacobian[:, column] = (equations(shifted) - value) / step
                delta = np.linalg.solve(jacobian, value)
                u -= delta
                if np.all(np.abs(delta) <= 1e-12 * np.maximum(1.0, np.abs(u))):
                    warm["u"] = u
                    return u[-1], u[:-1]
        phi_s, currents = potentials_bracketed(surface)
        warm["u"] = np.append(currents, phi_s)
        return phi_s, currents

    def rhs(_t, y):
        conc = y.reshape(classes, shells)
        _, currents = potentials(conc)
        flux_in = np.zeros((classes, shells))
        gradient = diffusivity * face_area[1:-1] * (conc[:, 1:] - conc[:, :-1]) / dr
        flux_in[:, :-1] += gradient
        flux_in[:, 1:] -= gradient
        flux_in[:, -1] += face_area[-1] * contacts * currents / FARADAY
        return (flux_in / volume).ravel()

    def voltage(y):
        phi_s, _ = potentials(y.reshape(classes, shells))
        return phi_s - current * series_resistance

    def event(_t, y):
        return voltage(y) - cutoff

    event.terminal = True
    event.direction = -1
    y0 = np.full(classes * shells, p["initialStoichiometry"] * cmax)
    nominal = 3600 / p["cRate"]
    solution = solve_ivp(
        rhs, (0, 3 * nominal), y0, method="BDF", rtol=1e-9, atol=1e-6, events=event, dense_output=True)
    end = solution.t_events[0][0] if len(solution.t_events[0]) else solution.t[-1]
    capacity = current * end / (3600 * mass_loading)
    half = voltage(solution.sol(0.5 * end))
    print(json.dumps({"capacity": capacity, "voltageAtHalfCapacity": half, "status": int(solution.status)}))


if __name__ == "__main__":
    main()
