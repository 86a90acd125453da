package dev.distillery.network.yuma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Yuma consensus (DESIGN.md §4) on small cases worked out by hand; each test's comment shows the arithmetic.
 * Defaults unless stated: κ = 0.5, α = 0.1, β = 1, activity cutoff 5000, tempo 10, block 100, emission 100,
 * owner cut 0.18 (so E' = 82), every UID registered at block 0 and updated at block 100.
 */
class YumaTest {
    static final Offset<Double> EPS = Offset.offset(1e-9);

    static YumaState state(double[] stake, boolean[] permit, double[][] weights, double[][] bonds) {
        int n = stake.length;
        long[] last = new long[n];
        java.util.Arrays.fill(last, 100);
        return new YumaState(100, 10, 5000, 0.5, 0.1, 1.0, 100, 0.18, stake, permit, last, new long[n], weights,
                bonds);
    }

    static void assertSums(YumaResult r, double emission) {
        double total = r.ownerEmission();
        for (int i = 0; i < r.incentive().length; i++) {
            total += r.minerEmission()[i] + r.validatorEmission()[i];
        }
        assertThat(total).isCloseTo(emission, EPS);
    }

    /**
     * Two validators (stake 0.6, 0.4) agree: both weight miners 2 and 3 as 0.75 / 0.25.
     * C = (·, ·, 0.75, 0.25); nothing is clipped, VT = (1, 1, 0, 0); R = I = (0, 0, 0.75, 0.25).
     * ΔB columns 2 and 3 are S·0.75 = (0.45, 0.3) and S·0.25 = (0.15, 0.1), both normalizing to (0.6, 0.4);
     * no previous bonds, so B = the same. D = (0.6·0.75 + 0.6·0.25, 0.4) = (0.6, 0.4).
     * Owner 18; miners I·41 = 30.75, 10.25; validators D·41 = 24.6, 16.4.
     */
    @Test
    void agreeingValidatorsShareByStakeAndMinersByWeight() {
        double[][] w = {{0, 0, 0.75, 0.25}, {0, 0, 0.75, 0.25}, {0, 0, 0, 0}, {0, 0, 0, 0}};
        YumaResult r = Yuma.epoch(state(new double[] {60, 40, 0, 0}, new boolean[] {true, true, false, false}, w,
                null));
        assertThat(r.consensus()).containsExactly(new double[] {0, 0, 0.75, 0.25}, EPS);
        assertThat(r.validatorTrust()).containsExactly(new double[] {1, 1, 0, 0}, EPS);
        assertThat(r.incentive()).containsExactly(new double[] {0, 0, 0.75, 0.25}, EPS);
        assertThat(r.dividends()).containsExactly(new double[] {0.6, 0.4, 0, 0}, EPS);
        assertThat(r.bonds()[0]).containsExactly(new double[] {0, 0, 0.6, 0.6}, EPS);
        assertThat(r.bonds()[1]).containsExactly(new double[] {0, 0, 0.4, 0.4}, EPS);
        assertThat(r.ownerEmission()).isCloseTo(18, EPS);
        assertThat(r.minerEmission()).containsExactly(new double[] {0, 0, 30.75, 10.25}, EPS);
        assertThat(r.validatorEmission()).containsExactly(new double[] {24.6, 16.4, 0, 0}, EPS);
        assertSums(r, 100);
    }

    /**
     * Validators 0 and 1 (stake 0.4 each) weight miners 3/4 as 0.5/0.5; the minority validator 2 (stake 0.2) puts
     * everything on miner 3. Column 3: 0.5 held by 0.8 of the stake, 1.0 by 0.2 → stake(≤ 0.5) = 0.8 > 0.5, C = 0.5.
     * Column 4: 0 held by 0.2, 0.5 by 0.8 → C = 0.5. Validator 2's row is clipped to (0.5, 0): VT_2 = 0.5.
     * R = (0.4·0.5 + 0.4·0.5 + 0.2·0.5, 0.4·0.5 + 0.4·0.5) = (0.5, 0.4); I = (5/9, 4/9).
     * ΔB column 3 = (0.2, 0.2, 0.1)/0.5 = (0.4, 0.4, 0.2); column 4 = (0.2, 0.2, 0)/0.4 = (0.5, 0.5, 0).
     * D_0 = D_1 = 0.4·5/9 + 0.5·4/9 = 4/9, D_2 = 0.2·5/9 = 1/9: the minority's share drops below its stake (0.2).
     */
    @Test
    void aMinorityValidatorIsClippedAndItsDividendsDrop() {
        double[][] w = new double[5][5];
        w[0] = new double[] {0, 0, 0, 0.5, 0.5};
        w[1] = new double[] {0, 0, 0, 0.5, 0.5};
        w[2] = new double[] {0, 0, 0, 1.0, 0};
        YumaResult r = Yuma.epoch(state(new double[] {40, 40, 20, 0, 0},
                new boolean[] {true, true, true, false, false}, w, null));
        assertThat(r.consensus()[3]).isCloseTo(0.5, EPS);
        assertThat(r.consensus()[4]).isCloseTo(0.5, EPS);
        assertThat(r.validatorTrust()).containsExactly(new double[] {1, 1, 0.5, 0, 0}, EPS);
        assertThat(r.incentive()).containsExactly(new double[] {0, 0, 0, 5 / 9.0, 4 / 9.0}, EPS);
        assertThat(r.dividends()).containsExactly(new double[] {4 / 9.0, 4 / 9.0, 1 / 9.0, 0, 0}, EPS);
        assertThat(r.dividends()[2]).isLessThan(0.2);
        assertSums(r, 100);
    }

    /**
     * Validators 0 (stake 0.6) and 1 (0.4), miners 2 and 3.
     * Epoch 1 (block 100): both weight miner 2 only. B column 2 = (0.6, 0.4); D = (0.6, 0.4).
     * Epoch 2 (block 110): validator 1 moves to miner 3. Column 2: 1 held by 0.6 → C_2 = 1; column 3: 0 held by
     * 0.6 → C_3 = 0, so validator 1's weight is clipped away and I = (1, 0). ΔB column 2 = (0.6, 0)/0.6 = (1, 0);
     * B = 0.1·(1, 0) + 0.9·(0.6, 0.4) = (0.64, 0.36) = D.
     * Epoch 3 (block 120): the same weights: B = 0.1·(1, 0) + 0.9·(0.64, 0.36) = (0.676, 0.324) = D.
     */
    @Test
    void bondsMoveByTheirMovingAverageOverThreeEpochs() {
        boolean[] permit = {true, true, false, false};
        double[] stake = {60, 40, 0, 0};
        double[][] w1 = {{0, 0, 1, 0}, {0, 0, 1, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}};
        YumaResult e1 = Yuma.epoch(at(state(stake, permit, w1, null), 100));
        assertThat(column(e1.bonds(), 2)).containsExactly(new double[] {0.6, 0.4, 0, 0}, EPS);
        assertThat(e1.dividends()).containsExactly(new double[] {0.6, 0.4, 0, 0}, EPS);

        double[][] w2 = {{0, 0, 1, 0}, {0, 0, 0, 1}, {0, 0, 0, 0}, {0, 0, 0, 0}};
        YumaResult e2 = Yuma.epoch(at(state(stake, permit, w2, e1.bonds()), 110));
        assertThat(e2.consensus()[2]).isCloseTo(1, EPS);
        assertThat(e2.consensus()[3]).isCloseTo(0, EPS);
        assertThat(e2.incentive()).containsExactly(new double[] {0, 0, 1, 0}, EPS);
        assertThat(column(e2.bonds(), 2)).containsExactly(new double[] {0.64, 0.36, 0, 0}, EPS);
        assertThat(e2.dividends()).containsExactly(new double[] {0.64, 0.36, 0, 0}, EPS);

        YumaResult e3 = Yuma.epoch(at(state(stake, permit, w2, e2.bonds()), 120));
        assertThat(column(e3.bonds(), 2)).containsExactly(new double[] {0.676, 0.324, 0, 0}, EPS);
        assertThat(e3.dividends()).containsExactly(new double[] {0.676, 0.324, 0, 0}, EPS);
        assertSums(e3, 100);
    }

    /**
     * Validators 0 and 1 have stake 0.5 each, but validator 1 last updated at block 10 with cutoff 50 at block
     * 100: 10 + 50 < 100, inactive. S = (1, 0). Only validator 0 counts for consensus: C = (·, ·, 1, 0), so
     * validator 1's weight on miner 3 is clipped to 0 (VT_1 = 0). I = (0, 0, 1, 0), D = (1, 0, 0, 0).
     * Miner 2 gets 41, validator 0 gets 41, miner 3 and validator 1 nothing.
     */
    @Test
    void inactiveValidatorsNeitherShapeConsensusNorEarn() {
        double[][] w = {{0, 0, 1, 0}, {0, 0, 0, 1}, {0, 0, 0, 0}, {0, 0, 0, 0}};
        YumaState base = state(new double[] {50, 50, 0, 0}, new boolean[] {true, true, false, false}, w, null);
        YumaState s = new YumaState(100, 10, 50, 0.5, 0.1, 1, 100, 0.18, base.stake(), base.validatorPermit(),
                new long[] {100, 10, 100, 100}, new long[4], w, null);
        YumaResult r = Yuma.epoch(s);
        assertThat(r.consensus()).containsExactly(new double[] {0, 0, 1, 0}, EPS);
        assertThat(r.validatorTrust()).containsExactly(new double[] {1, 0, 0, 0}, EPS);
        assertThat(r.incentive()).containsExactly(new double[] {0, 0, 1, 0}, EPS);
        assertThat(r.dividends()).containsExactly(new double[] {1, 0, 0, 0}, EPS);
        assertThat(r.minerEmission()).containsExactly(new double[] {0, 0, 41, 0}, EPS);
        assertThat(r.validatorEmission()).containsExactly(new double[] {41, 0, 0, 0}, EPS);
    }

    /**
     * Block 100, tempo 10. Validator 0 (stake 1) set weights at block 95: 0.5 to miner 1 (registered at 0) and 0.5 to
     * miner 2, which registered at block 97 (a new hotkey on a pruned UID). 95 ≤ 97, so that weight was set before
     * the miner existed and is masked: the row normalizes to (0, 1, 0) and I = (0, 1, 0). The previous bonds
     * column of UID 2 (held for the old occupant) is zeroed because 97 ≥ 100 − 10: B column 2 stays 0.
     * Had the validator updated at block 99 (after registration), miner 2 would count: I = (0, 0.5, 0.5).
     */
    @Test
    void aMinerRegisteredMidTempoIsNotCreditedWithEarlierWeightsOrBonds() {
        double[][] w = {{0, 0.5, 0.5}, {0, 0, 0}, {0, 0, 0}};
        double[][] oldBonds = {{0, 0, 1}, {0, 0, 0}, {0, 0, 0}};
        YumaState before = new YumaState(100, 10, 5000, 0.5, 0.1, 1, 100, 0.18, new double[] {1, 0, 0},
                new boolean[] {true, false, false}, new long[] {95, 100, 100}, new long[] {0, 0, 97}, w, oldBonds);
        YumaResult r = Yuma.epoch(before);
        assertThat(r.incentive()).containsExactly(new double[] {0, 1, 0}, EPS);
        assertThat(r.bonds()[0][2]).isCloseTo(0, EPS);
        assertThat(r.minerEmission()[2]).isCloseTo(0, EPS);

        YumaState after = new YumaState(100, 10, 5000, 0.5, 0.1, 1, 100, 0.18, new double[] {1, 0, 0},
                new boolean[] {true, false, false}, new long[] {99, 100, 100}, new long[] {0, 0, 97}, w, oldBonds);
        assertThat(Yuma.epoch(after).incentive()).containsExactly(new double[] {0, 0.5, 0.5}, EPS);
    }

    /**
     * No usable weights (Σ(I+D) = 0): miners get nothing; validators share E' = 82 by the masked normalized stake
     * (0.75, 0.25) → 61.5, 20.5.
     */
    @Test
    void withoutWeightsValidatorsShareByStake() {
        double[][] w = new double[3][3];
        YumaResult r = Yuma.epoch(state(new double[] {3, 1, 0}, new boolean[] {true, true, false}, w, null));
        assertThat(r.minerEmission()).containsExactly(new double[] {0, 0, 0}, EPS);
        assertThat(r.validatorEmission()).containsExactly(new double[] {61.5, 20.5, 0}, EPS);
        assertSums(r, 100);
    }

    /** §4.3 on its own: stake(values &lt; v) ≤ 1 − κ &lt; stake(values ≤ v); an exact 50/50 split takes the upper value. */
    @Test
    void consensusIsTheStakeWeightedQuantile() {
        assertThat(Yuma.weightedQuantile(new double[] {0.2, 0.5}, new double[] {0.3, 0.7}, 0.5)).isEqualTo(0.5);
        assertThat(Yuma.weightedQuantile(new double[] {0.2, 0.5}, new double[] {0.7, 0.3}, 0.5)).isEqualTo(0.2);
        assertThat(Yuma.weightedQuantile(new double[] {0, 1}, new double[] {0.5, 0.5}, 0.5)).isEqualTo(1);
        // a UID without stake does not vote
        assertThat(Yuma.weightedQuantile(new double[] {0.9, 0.1}, new double[] {0, 1}, 0.5)).isEqualTo(0.1);
        assertThat(Yuma.weightedQuantile(new double[] {0.9, 0.1}, new double[] {0, 0}, 0.5)).isZero();
    }

    @Test
    void badStatesAreRefusedWithTheKeyThatIsWrong() {
        YumaState ok = state(new double[] {1, 0}, new boolean[] {true, false}, new double[2][2], null);
        assertThatThrownBy(() -> Yuma.epoch(new YumaState(100, 10, 5000, 0.5, 0.1, 1, 100, 0.18, ok.stake(),
                new boolean[] {true}, ok.lastUpdate(), ok.registeredAt(), ok.weights(), null)))
                .hasMessageContaining("validator_permit");
        assertThatThrownBy(() -> Yuma.epoch(new YumaState(100, 10, 5000, 0.5, 0.1, 1, 100, 0.18, ok.stake(),
                ok.validatorPermit(), ok.lastUpdate(), ok.registeredAt(), new double[][] {{0, -1}, {0, 0}}, null)))
                .hasMessageContaining("weights");
    }

    static YumaState at(YumaState s, long block) {
        long[] last = new long[s.size()];
        java.util.Arrays.fill(last, block);
        return new YumaState(block, s.tempo(), s.activityCutoff(), s.kappa(), s.bondsAlpha(), s.bondsPenalty(),
                s.emission(), s.ownerCut(), s.stake(), s.validatorPermit(), last, s.registeredAt(), s.weights(),
                s.bonds());
    }

    static double[] column(double[][] m, int j) {
        double[] c = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i][j];
        }
        return c;
    }
}
