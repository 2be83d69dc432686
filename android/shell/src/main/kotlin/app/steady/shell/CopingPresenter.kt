// The coping plan (warning signs, strategies, reasons, support contacts) and the
// crisis card. The card is always present: from the core when the database is
// open, from crisisCardWithoutDatabase when it is not.
package app.steady.shell

import app.steady.core.model.CopingPlan
import app.steady.core.model.CrisisCard
import app.steady.core.model.PlanSection
import kotlinx.coroutines.flow.StateFlow

sealed interface CopingEvent {
    data class Add(val section: PlanSection, val text: String) : CopingEvent
    data class AddContact(val name: String, val phone: String) : CopingEvent
    data class Remove(val id: String) : CopingEvent
    data class StrongCravingThreshold(val threshold: UByte) : CopingEvent
}

class CopingPresenter(private val session: SteadySession) : ScreenPresenter() {
    val plan: StateFlow<CopingPlan?> = session.copingPlan
    val crisisCard: StateFlow<CrisisCard?> = session.crisisCard

    suspend fun handle(event: CopingEvent) {
        attempt {
            when (event) {
                is CopingEvent.Add -> session.call { it.addToCopingPlan(event.section, event.text) }
                is CopingEvent.AddContact -> session.call { it.addSupportContact(event.name, event.phone) }
                is CopingEvent.Remove -> session.call { it.removeFromCopingPlan(event.id) }
                is CopingEvent.StrongCravingThreshold -> session.call { it.setStrongCravingThreshold(event.threshold) }
            }
        }
    }
}
